// `mockd add [http|sse|websocket|ws|mqtt|grpc]` (contract §10): builds a mock from flags and POSTs it.

import { resolve } from 'node:path';
import { print, printJson, printWarnings } from '../output.ts';
import { intOption, str, toArray, UsageError, type CommandDef } from '../registry.ts';
import type { Mock } from '../../mocks/types.ts';
import { findUpsert } from './add-upsert.ts';

export function parseHeaders(values: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf(':');
    if (i <= 0) throw new UsageError(`--${flag} must look like "Name: value", got "${v}"`);
    out[v.slice(0, i).trim()] = v.slice(i + 1).trim();
  }
  return out;
}

/** A flag whose value must be a JSON object (a gRPC message): said plainly when it is not JSON at all. */
function parseJsonObject(text: string, flag: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--${flag} is not valid JSON: ${text}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`--${flag} must be a JSON object, got: ${text}`);
  return value as Record<string, unknown>;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseKeyValues(values: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0) throw new UsageError(`--${flag} must look like key=value, got "${v}"`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

function sseBlock(o: Record<string, any>) {
  const events = toArray(o.sseEvent).map((e) => {
    const i = e.indexOf(':');
    if (i <= 0) throw new UsageError(`--sse-event must look like type:data, got "${e}"`);
    return { type: e.slice(0, i), data: parseJsonOrText(e.slice(i + 1)) };
  });
  const list = events.length > 0 ? events : [{ type: 'message', data: { status: 'connected' } }];
  const sse: Record<string, unknown> = {};
  const repeat = intOption(o.sseRepeat, 'sse-repeat');
  if (repeat !== undefined) sse.generator = { type: 'template', template: { events: list, repeat } };
  else sse.events = list;
  const delay = intOption(o.sseDelay, 'sse-delay');
  if (delay !== undefined) sse.timing = { fixedDelay: delay };
  const keepalive = intOption(o.sseKeepalive, 'sse-keepalive');
  if (keepalive !== undefined) sse.lifecycle = { keepaliveInterval: keepalive };
  return sse;
}

function buildHttp(o: Record<string, any>, sse: boolean) {
  const matcher: Record<string, unknown> = {};
  const method = str(o.method);
  if (method || !sse) matcher.method = (method ?? 'GET').toUpperCase();
  if (str(o.path)) matcher.path = str(o.path);
  if (str(o.pathPattern)) matcher.pathPattern = str(o.pathPattern);
  const mh = toArray(o.matchHeader);
  if (mh.length) matcher.headers = parseHeaders(mh, 'match-header');
  const mq = toArray(o.matchQuery);
  if (mq.length) matcher.queryParams = parseKeyValues(mq, 'match-query');
  if (str(o.matchBodyContains) !== undefined) matcher.bodyContains = str(o.matchBodyContains);
  const http: Record<string, unknown> = { matcher };
  const priority = intOption(o.priority, 'priority');
  if (priority !== undefined) http.priority = priority;
  if (sse) {
    http.sse = sseBlock(o);
    return http;
  }
  const response: Record<string, unknown> = { statusCode: intOption(o.status, 'status') ?? 200 };
  const headers = toArray(o.header);
  if (headers.length) response.headers = parseHeaders(headers, 'header');
  if (o.body !== undefined) response.body = String(o.body);
  if (str(o.bodyFile)) response.bodyFile = resolve(str(o.bodyFile)!);
  const delay = intOption(o.delay, 'delay');
  if (delay !== undefined) response.delayMs = delay;
  http.response = response;
  return http;
}

function buildSpec(type: string, o: Record<string, any>): Record<string, unknown> {
  switch (type) {
    case 'http':
      return { type: 'http', http: buildHttp(o, Boolean(o.sse)) };
    case 'sse':
      return { type: 'http', http: buildHttp(o, true) };
    case 'websocket': {
      if (!str(o.path)) throw new UsageError('--path is required for a websocket mock');
      const ws: Record<string, unknown> = { path: str(o.path) };
      if (o.message !== undefined) {
        const value = parseJsonOrText(String(o.message));
        ws.defaultResponse = typeof value === 'string' ? { type: 'text', value } : { type: 'json', value };
      }
      if (o.echo) ws.echoMode = true;
      const subs = toArray(o.subprotocol);
      if (subs.length) ws.subprotocols = subs;
      return { type: 'websocket', websocket: ws };
    }
    case 'mqtt': {
      const topic = str(o.topic);
      if (!topic) throw new UsageError('--topic is required for an mqtt mock');
      const entry: Record<string, unknown> = { topic, qos: intOption(o.qos, 'qos') ?? 0, retain: Boolean(o.retain) };
      if (o.payload !== undefined) entry.messages = [{ payload: String(o.payload) }];
      return { type: 'mqtt', mqtt: { port: intOption(o.mqttPort, 'mqtt-port') ?? 1883, topics: [entry] } };
    }
    case 'grpc': {
      const protos = toArray(o.proto).map((p) => resolve(p));
      if (protos.length === 0) throw new UsageError('--proto is required for a grpc mock');
      const service = str(o.service);
      const method = str(o.rpcMethod);
      if (!service || !method) throw new UsageError('--service and --rpc-method are required for a grpc mock');
      const grpc: Record<string, unknown> = {
        port: intOption(o.grpcPort, 'grpc-port') ?? 50051,
        ...(protos.length === 1 ? { protoFile: protos[0] } : { protoFiles: protos }),
        services: { [service]: { methods: { [method]: { response: o.response !== undefined ? parseJsonObject(String(o.response), 'response') : {} } } } },
      };
      const importPaths = toArray(o.protoPath).map((p) => resolve(p));
      if (importPaths.length) grpc.importPaths = importPaths;
      if (o.reflection) grpc.reflection = true;
      return { type: 'grpc', grpc };
    }
    default:
      throw new UsageError(`unknown mock type "${type}": use http, sse, websocket, mqtt or grpc`);
  }
}

function describe(mock: any): string[] {
  const lines = [`  Type: ${mock.type}`];
  if (mock.type === 'http') {
    const m = mock.http.matcher;
    if (m.method) lines.push(`  Method: ${m.method}`);
    if (m.path ?? m.pathPattern) lines.push(`  Path: ${m.path ?? m.pathPattern}`);
    lines.push(mock.http.sse ? '  Status: sse' : `  Status: ${mock.http.response.statusCode}`);
  } else if (mock.type === 'websocket') {
    lines.push(`  Path: ${mock.websocket.path}`);
  } else if (mock.type === 'mqtt') {
    lines.push(`  Port: ${mock.mqtt.port}`);
    lines.push(`  Topic: ${(mock.mqtt.topics ?? []).map((t: any) => t.topic).join(', ')}`);
  } else if (mock.type === 'grpc') {
    lines.push(`  Port: ${mock.grpc.port}`);
    const services = Object.entries(mock.grpc.services ?? {}) as [string, any][];
    lines.push(`  Service: ${services.map(([s]) => s).join(', ')}`);
    lines.push(`  Method: ${services.flatMap(([, s]) => Object.keys(s.methods ?? {})).join(', ')}`);
  }
  return lines;
}

export const addCommand: CommandDef = {
  path: ['add'],
  args: '[type]',
  description: 'Create a mock: http (default), sse, websocket|ws, mqtt, grpc',
  options: [
    ['--id <id>', 'Mock id'],
    ['-n, --name <name>', 'Mock name'],
    ['-m, --method <method>', 'HTTP method (default GET)'],
    ['--path <path>', 'Request path (HTTP, SSE) or WebSocket path'],
    ['--path-pattern <regex>', 'Request path regex'],
    ['-s, --status <code>', 'Response status (default 200)'],
    ['-b, --body <body>', 'Response body'],
    ['--body-file <file>', 'Response body file'],
    ['-H, --header <header>', 'Response header "K: V" (repeatable)'],
    ['--match-header <header>', 'Match a request header "K: V" (repeatable)'],
    ['--match-query <kv>', 'Match a query parameter k=v (repeatable)'],
    ['--match-body-contains <text>', 'Match a body substring'],
    ['--priority <n>', 'Tie-break priority'],
    ['--delay <ms>', 'Response delay in ms'],
    ['--sse', 'Make the HTTP mock an SSE stream'],
    ['--sse-event <event>', 'SSE event type:data (repeatable)'],
    ['--sse-delay <ms>', 'Delay between SSE events'],
    ['--sse-repeat <n>', 'Repeat the events n times (0 = forever)'],
    ['--sse-keepalive <s>', 'Keepalive interval in seconds'],
    ['--message <text>', 'WebSocket default response (text or JSON)'],
    ['--echo', 'WebSocket echo mode'],
    ['--subprotocol <name>', 'WebSocket subprotocol (repeatable)'],
    ['--mqtt-port <port>', 'MQTT broker port (default 1883)'],
    ['--topic <topic>', 'MQTT topic'],
    ['--payload <payload>', 'MQTT message payload'],
    ['--qos <qos>', 'MQTT QoS (default 0)'],
    ['--retain', 'MQTT retained message'],
    ['--proto <file>', 'gRPC proto file (repeatable)'],
    ['--proto-path <dir>', 'gRPC import path'],
    ['--service <name>', 'gRPC service, e.g. pkg.Svc'],
    ['--rpc-method <name>', 'gRPC method'],
    ['--response <json>', 'gRPC response JSON'],
    ['--grpc-port <port>', 'gRPC server port (default 50051)'],
    ['--reflection', 'Serve gRPC reflection'],
    ['--allow-duplicate', 'Create a new mock even if one already answers the same method and path (topic, RPC)'],
  ],
  async action(args, o, { client, json }) {
    const raw = args[0] ?? 'http';
    const type = raw === 'ws' ? 'websocket' : raw;
    const mock = buildSpec(type, o);
    if (str(o.id)) mock.id = str(o.id);
    if (o.name !== undefined) mock.name = String(o.name);
    // Upsert as the Go mockd does: an explicit --id names a new mock, so only a mock without one is looked up.
    if (!o.allowDuplicate && mock.id === undefined) {
      const { mocks } = await client.get<{ mocks: Mock[] }>(`/mocks?type=${mock.type}`);
      const upsert = findUpsert(mocks, mock);
      if (upsert) {
        const updated = await client.put(`/mocks/${encodeURIComponent(upsert.id)}`, upsert.mock);
        if (json) return printJson(updated);
        print(`Updated mock: ${updated.id}`);
        for (const line of describe(updated.mock)) print(line);
        return;
      }
    }
    const result = await client.post('/mocks', mock);
    if (json) return printJson(result);
    printWarnings(result);
    if (result.action === 'merged') {
      print(`Merged into mock: ${result.targetMockId}`);
      print(`  Added: ${(result.addedTopics ?? result.addedServices ?? []).join(', ')}`);
      print(`  Total: ${result.totalTopics ?? result.totalServices}`);
      return;
    }
    print(`Created mock: ${result.id}`);
    for (const line of describe(result.mock)) print(line);
  },
};
