// One form per kind of mock for the fields people set most (contract §3–§7). Every input is bound to the path the
// schema uses, so whatever a form leaves out can still be set in the JSON/YAML editor and survives a form edit.

import { useContext } from 'preact/hooks';
import { getIn, setIn, type MockKind } from './draft.ts';
import { Field, FormContext, KeyValueField, ListField, Row, ValueField } from './fields.tsx';
import { GrpcFields } from './grpc-form.tsx';

const METHODS = ['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const WS_MATCH_TYPES = ['exact', 'contains', 'prefix', 'suffix', 'regex', 'json'] as const;
const WS_RESPONSE_TYPES = ['text', 'json', 'binary'] as const;

function HttpFields() {
  return (
    <>
      <h3>Request matcher</h3>
      <Row>
        <Field path="http.matcher.method" label="Method" kind="select" options={METHODS} />
        <Field path="http.matcher.path" label="Path" placeholder="/users/{id}" />
        <Field path="http.matcher.pathPattern" label="Path pattern (RegExp)" placeholder="^/v[0-9]+/" />
        <Field path="http.priority" label="Priority" kind="number" />
      </Row>
      <Row>
        <KeyValueField path="http.matcher.headers" label="Match headers" keyLabel="Header" />
        <KeyValueField path="http.matcher.queryParams" label="Match query" keyLabel="Parameter" />
      </Row>
      <Field path="http.matcher.bodyContains" label="Body contains" wide />
      <h3>Response</h3>
      <Row>
        <Field path="http.response.statusCode" label="Status" kind="number" />
        <Field path="http.response.delayMs" label="Delay (ms)" kind="number" />
        <Field path="http.response.bodyFile" label="Body file" />
      </Row>
      <KeyValueField path="http.response.headers" label="Response headers" keyLabel="Header" />
      <ValueField path="http.response.body" label="Body (templated; JSON or text)" rows={6} />
    </>
  );
}

/**
 * `repeat` 1 sends `sse.events` once; any other value moves the list into a `template` generator that repeats it
 * (0 = forever), which is how `mockd add sse --sse-repeat` writes it (§10).
 */
function SseRepeat() {
  const form = useContext(FormContext);
  const generator = getIn(form.draft, 'http.sse.generator') as { type?: string; template?: { events?: unknown[]; repeat?: number } } | undefined;
  const isTemplate = generator?.type === 'template';
  const repeat = isTemplate ? (generator?.template?.repeat ?? 1) : 1;
  const onInput = (text: string) => {
    const n = text === '' ? 1 : Number(text);
    let d = form.draft;
    const events = isTemplate ? generator?.template?.events : getIn(d, 'http.sse.events');
    if (n === 1) {
      d = setIn(setIn(d, 'http.sse.generator', undefined), 'http.sse.events', events ?? []);
    } else {
      d = setIn(setIn(d, 'http.sse.events', undefined), 'http.sse.generator', { type: 'template', template: { events: events ?? [], repeat: n } });
    }
    form.setDraft(d);
  };
  return (
    <label class="field" data-field="http.sse.generator.template.repeat">
      <span class="field-label">Repeat (0 = forever)</span>
      <input type="number" min={0} value={repeat} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
    </label>
  );
}

function SseFields() {
  const form = useContext(FormContext);
  const eventsPath = getIn(form.draft, 'http.sse.generator.type') === 'template' ? 'http.sse.generator.template.events' : 'http.sse.events';
  return (
    <>
      <h3>Request matcher</h3>
      <Row>
        <Field path="http.matcher.method" label="Method" kind="select" options={METHODS} />
        <Field path="http.matcher.path" label="Path" placeholder="/events" />
      </Row>
      <h3>Events</h3>
      <ListField path={eventsPath} label="Events" itemLabel="event" newItem={() => ({ type: 'message', data: '' })}>
        {(p) => (
          <>
            <Row>
              <Field path={`${p}.type`} label="Type" placeholder="message" />
              <Field path={`${p}.id`} label="Id" />
              <Field path={`${p}.delay`} label="Delay (ms)" kind="number" />
            </Row>
            <ValueField path={`${p}.data`} label="Data" rows={2} />
          </>
        )}
      </ListField>
      <h3>Timing and lifecycle</h3>
      <Row>
        <SseRepeat />
        <Field path="http.sse.timing.initialDelay" label="Initial delay (ms)" kind="number" />
        <Field path="http.sse.timing.fixedDelay" label="Delay between events (ms)" kind="number" />
        <Field path="http.sse.lifecycle.keepaliveInterval" label="Keepalive (s)" kind="number" />
        <Field path="http.sse.lifecycle.maxEvents" label="Max events" kind="number" />
      </Row>
    </>
  );
}

function WsResponse({ path }: { path: string }) {
  return (
    <Row>
      <Field path={`${path}.type`} label="Response type" kind="select" options={WS_RESPONSE_TYPES} />
      <ValueField path={`${path}.value`} label="Response value" rows={2} />
    </Row>
  );
}

function WebSocketFields() {
  return (
    <>
      <Row>
        <Field path="websocket.path" label="Path" placeholder="/ws/chat" />
        <Field path="websocket.subprotocols" label="Subprotocols (comma-separated)" kind="list" />
        <Field path="websocket.idleTimeout" label="Idle timeout" placeholder="30s" />
        <Field path="websocket.maxConnections" label="Max connections" kind="number" />
      </Row>
      <Row>
        <Field path="websocket.echoMode" label="Echo messages nothing else answers" kind="checkbox" />
        <Field path="websocket.requireSubprotocol" label="Require a subprotocol" kind="checkbox" />
      </Row>
      <h3>Matchers</h3>
      <ListField path="websocket.matchers" label="Matchers" itemLabel="matcher" newItem={() => ({ match: { type: 'exact', value: '' }, response: { type: 'text', value: '' } })}>
        {(p) => (
          <>
            <Row>
              <Field path={`${p}.match.type`} label="Match" kind="select" options={WS_MATCH_TYPES} />
              <Field path={`${p}.match.path`} label="JSON path" placeholder="$.type" />
              <ValueField path={`${p}.match.value`} label="Value" rows={1} />
            </Row>
            <WsResponse path={`${p}.response`} />
          </>
        )}
      </ListField>
      <h3>Default response</h3>
      <WsResponse path="websocket.defaultResponse" />
    </>
  );
}

function MqttFields() {
  return (
    <>
      <Row>
        <Field path="mqtt.port" label="Broker port (0 = pick one)" kind="number" />
      </Row>
      <ListField path="mqtt.topics" label="Topics" itemLabel="topic" newItem={() => ({ topic: '', qos: 0 })}>
        {(p) => (
          <>
            <Row>
              <Field path={`${p}.topic`} label="Topic" placeholder="sensors/temp" />
              <Field path={`${p}.qos`} label="QoS" kind="select" numeric options={['0', '1', '2']} />
              <Field path={`${p}.retain`} label="Retain" kind="checkbox" />
            </Row>
            <ListField path={`${p}.messages`} label="Scheduled messages" itemLabel="message" newItem={() => ({ payload: '' })}>
              {(m) => (
                <>
                  <ValueField path={`${m}.payload`} label="Payload (templated)" rows={2} />
                  <Row>
                    <Field path={`${m}.delay`} label="Delay" placeholder="0" />
                    <Field path={`${m}.repeat`} label="Repeat" kind="checkbox" />
                    <Field path={`${m}.interval`} label="Interval" placeholder="5s" />
                  </Row>
                </>
              )}
            </ListField>
            <Field path={`${p}.onPublish.response.payload`} label="Reply to client publishes with" wide />
          </>
        )}
      </ListField>
    </>
  );
}

export function ProtocolForm({ kind }: { kind: MockKind }) {
  return (
    <div class="protocol-form" data-kind={kind}>
      <Row>
        <Field path="name" label="Name" />
        <Field path="description" label="Description" />
        <Field path="enabled" label="Enabled" kind="checkbox" />
      </Row>
      {kind === 'http' && <HttpFields />}
      {kind === 'sse' && <SseFields />}
      {kind === 'websocket' && <WebSocketFields />}
      {kind === 'mqtt' && <MqttFields />}
      {kind === 'grpc' && <GrpcFields />}
    </div>
  );
}
