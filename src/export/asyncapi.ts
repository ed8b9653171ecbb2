// AsyncAPI 3.0 from the MQTT and WebSocket mocks: one server per broker and one for the mock port's WebSocket
// paths; a topic the broker publishes on is a `send` operation (its payloads as examples, its interval as
// `x-mockd-interval`), a topic with a `schema` or an `onPublish` is a `receive` operation.

import type { Mock } from '../mocks/types.ts';

type Obj = Record<string, any>;

function key(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || 'root';
}

function parse(payload: unknown): unknown {
  if (typeof payload !== 'string') return payload;
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

export function exportAsyncApi(mocks: readonly Mock[], ports: { mockPort: number; portOf(mock: Mock): number }): Obj {
  const servers: Obj = {};
  const channels: Obj = {};
  const operations: Obj = {};
  const addChannel = (id: string, address: string, server: string, messages: Obj) => {
    channels[id] = { address, servers: [{ $ref: `#/servers/${server}` }], messages };
  };
  for (const mock of mocks) {
    if (mock.type === 'mqtt') {
      const server = key(mock.id);
      servers[server] = { host: `127.0.0.1:${ports.portOf(mock)}`, protocol: 'mqtt', 'x-mockd-id': mock.id, description: mock.name || undefined };
      for (const t of mock.mqtt!.topics ?? []) {
        const id = key(`${mock.id}_${t.topic}`);
        // MQTT wildcards become channel parameters: `a/+/b` → `a/{p1}/b`.
        let n = 0;
        const address = t.topic.replace(/\+/g, () => `{p${++n}}`).replace(/#$/, '{rest}');
        const examples = (t.messages ?? []).map((m) => ({ payload: parse(m.payload) }));
        const message: Obj = { payload: t.schema ?? {} };
        if (examples.length > 0) message.examples = examples;
        addChannel(id, address, server, { message });
        if ((t.messages ?? []).length > 0) {
          operations[`${id}_send`] = {
            action: 'send',
            channel: { $ref: `#/channels/${id}` },
            'x-mockd-interval': t.messages![0]!.interval ?? '5s',
            bindings: { mqtt: { qos: t.qos ?? 0, retain: t.retain ?? false } },
          };
        }
        if (t.schema !== undefined || t.onPublish !== undefined) operations[`${id}_receive`] = { action: 'receive', channel: { $ref: `#/channels/${id}` } };
      }
    } else if (mock.type === 'websocket') {
      servers.mockPort ??= { host: `127.0.0.1:${ports.mockPort}`, protocol: 'ws' };
      const ws = mock.websocket!;
      const id = key(`${mock.id}_${ws.path}`);
      const sent = (ws.scenario?.steps ?? []).filter((s) => s.type === 'send' && s.message).map((s) => ({ payload: s.message!.value }));
      if (ws.defaultResponse) sent.push({ payload: ws.defaultResponse.value });
      const message: Obj = { payload: ws.schema ?? {} };
      if (sent.length > 0) message.examples = sent;
      addChannel(id, ws.path, 'mockPort', { message });
      if (sent.length > 0) operations[`${id}_send`] = { action: 'send', channel: { $ref: `#/channels/${id}` } };
      operations[`${id}_receive`] = { action: 'receive', channel: { $ref: `#/channels/${id}` } };
    }
  }
  return JSON.parse(JSON.stringify({ asyncapi: '3.0.0', info: { title: 'mockd export', version: '1.0.0' }, servers, channels, operations }));
}
