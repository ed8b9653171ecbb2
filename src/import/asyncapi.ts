// AsyncAPI 2.6 and 3.0 → MQTT and WebSocket mocks. `$ref`s are resolved with @apidevtools/json-schema-ref-parser
// (the full @asyncapi/parser pulls in a large validation stack for a job mockd needs only part of).
// For each server speaking `mqtt`, one MQTT mock: messages the application sends (2.x `subscribe`, 3.0 `send`) are
// published on a schedule (`x-mockd-interval`, default 1 s) from the message's examples or its payload schema;
// messages it receives (2.x `publish`, 3.0 `receive`) get the payload schema as `topics[].schema`, so an invalid
// PUBLISH is journaled `valid: false`. Channels of a `ws`/`wss` server become WebSocket mocks the same way.

import { join } from 'node:path';
import { dereference } from '@apidevtools/json-schema-ref-parser';
import { ImportParseError, isObject } from './parse-text.ts';
import { toJsonSchema } from './json-schema.ts';
import { sampleOf } from './sample.ts';
import { slugify } from './http-shapes.ts';
import type { ImportedMock, Importer } from './types.ts';

export const DEFAULT_INTERVAL = '1s';

type Obj = Record<string, any>;

/** One channel operation, the same shape for 2.x and 3.0. */
interface Operation {
  action: 'send' | 'receive';
  address: string;
  channel: Obj;
  operation: Obj;
  messages: Obj[];
  servers?: string[];
}

function messagesOf(m: unknown): Obj[] {
  if (!isObject(m)) return [];
  if (Array.isArray(m.oneOf)) return m.oneOf.filter(isObject).map(withTraits);
  return [withTraits(m)];
}

/** Traits are merged under the object's own fields (AsyncAPI 2.6 §operationTraitObject, 3.0 §operationTraitObject). */
function withTraits(o: Obj): Obj {
  if (!Array.isArray(o.traits)) return o;
  const merged: Obj = {};
  for (const trait of o.traits) if (isObject(trait)) Object.assign(merged, trait);
  return { ...merged, ...o, bindings: { ...merged.bindings, ...o.bindings } };
}

function operations2(doc: Obj): Operation[] {
  const out: Operation[] = [];
  for (const [address, channel] of Object.entries<Obj>(doc.channels ?? {})) {
    // 2.x speaks from the client's side: `subscribe` means the application sends, `publish` that it receives.
    for (const [verb, action] of [['subscribe', 'send'], ['publish', 'receive']] as const) {
      const raw = channel?.[verb];
      if (!isObject(raw)) continue;
      const op = withTraits(raw);
      out.push({ action, address, channel, operation: op, messages: messagesOf(op.message), servers: channel.servers });
    }
  }
  return out;
}

function operations3(doc: Obj): Operation[] {
  const out: Operation[] = [];
  const channelNames = new Map<object, string>(Object.entries<Obj>(doc.channels ?? {}).map(([k, v]) => [v, k]));
  const serverNames = new Map<object, string>(Object.entries<Obj>(doc.servers ?? {}).map(([k, v]) => [v, k]));
  for (const raw of Object.values<Obj>(doc.operations ?? {})) {
    const op = withTraits(raw);
    const channel = op.channel;
    if (!isObject(channel) || (op.action !== 'send' && op.action !== 'receive')) continue;
    const address = typeof channel.address === 'string' ? channel.address : (channelNames.get(channel) ?? '');
    const messages = Array.isArray(op.messages) && op.messages.length > 0 ? op.messages : Object.values(channel.messages ?? {});
    const servers = Array.isArray(channel.servers) ? (channel.servers.map((s: Obj) => serverNames.get(s)).filter(Boolean) as string[]) : undefined;
    out.push({ action: op.action, address, channel, operation: op, messages: messages.filter(isObject).map(withTraits), servers });
  }
  return out;
}

/** A concrete topic for a parameterised address: each `{param}` from its example, enum, default or a sample. */
function concreteAddress(address: string, params: Obj | undefined, seed: number): string {
  return address.replace(/\{([^}]+)\}/g, (_m, name) => {
    const p = params?.[name] ?? {};
    const v = p.examples?.[0] ?? p.enum?.[0] ?? p.default ?? p.schema?.examples?.[0] ?? p.schema?.enum?.[0] ?? p.schema?.default ?? p.location ?? undefined;
    if (v !== undefined && typeof v !== 'object') return String(v);
    const sample = p.schema ? sampleOf(p.schema, seed, `param:${name}`) : undefined;
    return typeof sample === 'string' || typeof sample === 'number' ? String(sample).replace(/[+#/]/g, '-') : name;
  });
}

/** MQTT topic filter for receiving: each `{param}` is any one level. */
function filterAddress(address: string): string {
  return address.replace(/\{[^}]+\}/g, '+');
}

function payloadsOf(message: Obj, seed: number, key: string): unknown[] {
  const examples = (message.examples ?? []).filter((e: unknown) => isObject(e) && 'payload' in e).map((e: Obj) => e.payload);
  if (examples.length > 0) return examples;
  return [message.payload === undefined ? {} : sampleOf(message.payload, seed, key)];
}

function schemaOf(messages: Obj[]): Record<string, unknown> | undefined {
  const schemas = messages.filter((m) => m.payload !== undefined).map((m) => toJsonSchema(m.payload));
  if (schemas.length === 0) return undefined;
  return schemas.length === 1 ? schemas[0] : { anyOf: schemas };
}

function intervalOf(op: Operation, server: Obj): string | number {
  return op.operation['x-mockd-interval'] ?? op.channel['x-mockd-interval'] ?? op.messages[0]?.['x-mockd-interval'] ?? server['x-mockd-interval'] ?? DEFAULT_INTERVAL;
}

function encode(payload: unknown): string {
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

export const importAsyncApi: Importer = async (source, data, options) => {
  let doc: Obj;
  try {
    doc = (await dereference(join(source.baseDir ?? process.cwd(), 'asyncapi.yaml'), structuredClone(data) as Obj, { dereference: { circular: 'ignore' } })) as Obj;
  } catch (err) {
    throw new ImportParseError(`cannot resolve the document: ${(err as Error).message}`);
  }
  const seed = options.seed ?? 1;
  const v3 = String(doc.asyncapi).startsWith('3.');
  const ops = v3 ? operations3(doc) : operations2(doc);
  const warnings: string[] = [];
  const mocks: ImportedMock[] = [];
  const servers = Object.entries<Obj>(doc.servers ?? {});
  if (servers.length === 0) warnings.push('no servers: nothing to mock (add a server with protocol mqtt or ws)');
  for (const m of new Set(ops.flatMap((o) => o.messages))) {
    // JSON Schema and the AsyncAPI schema dialect are read; Avro, RAML or protobuf payloads are not.
    if (typeof m.schemaFormat === 'string' && !/json|asyncapi|openapi/i.test(m.schemaFormat)) {
      warnings.push(`message ${m.name ?? m.title ?? '(unnamed)'}: payload schema format ${m.schemaFormat} is not supported; payloads are generated as JSON`);
    }
  }
  for (const [serverName, server] of servers) {
    const protocol = String(server.protocol ?? '').toLowerCase();
    const mine = ops.filter((op) => op.servers === undefined || op.servers.length === 0 || op.servers.includes(serverName));
    if (protocol === 'mqtt' || protocol === 'secure-mqtt' || protocol === 'mqtts') {
      if (protocol !== 'mqtt') warnings.push(`server ${serverName}: ${protocol} is served as plain MQTT (TLS is not supported)`);
      if (server.security?.length) warnings.push(`server ${serverName}: security is not enforced`);
      const topics = new Map<string, Obj>();
      for (const op of mine) {
        const params = op.channel.parameters;
        const qos = op.operation.bindings?.mqtt?.qos ?? op.messages[0]?.bindings?.mqtt?.qos;
        const retain = op.operation.bindings?.mqtt?.retain;
        if (op.action === 'send') {
          const topic = concreteAddress(op.address, params, seed);
          const entry = topics.get(topic) ?? { topic };
          if (qos !== undefined) entry.qos = qos;
          if (retain !== undefined) entry.retain = retain;
          const interval = intervalOf(op, server);
          entry.messages = [
            ...(entry.messages ?? []),
            ...op.messages.flatMap((m, i) => payloadsOf(m, seed, `${op.address}:${i}`).map((p) => ({ payload: encode(p), repeat: true, interval }))),
          ];
          topics.set(topic, entry);
        } else {
          const topic = filterAddress(op.address);
          const entry = topics.get(topic) ?? { topic };
          const schema = schemaOf(op.messages);
          if (schema) entry.schema = schema;
          topics.set(topic, entry);
        }
      }
      const port = server['x-mockd-port'] ?? options.mqttPort ?? 0;
      mocks.push({
        slug: slugify(`${doc.info?.title ?? 'asyncapi'}-${serverName}`),
        mock: { type: 'mqtt', name: `${doc.info?.title ?? 'AsyncAPI'} (${serverName})`, description: doc.info?.description ?? '', mqtt: { port, topics: [...topics.values()] } },
      });
    } else if (protocol === 'ws' || protocol === 'wss') {
      const base = (() => {
        const pathname = v3 ? (server.pathname ?? '') : (() => { try { return new URL(`ws://${String(server.url).replace(/^wss?:\/\//, '')}`).pathname; } catch { return ''; } })();
        return String(pathname).replace(/\/+$/, '');
      })();
      const byAddress = new Map<string, Operation[]>();
      for (const op of mine) byAddress.set(op.address, [...(byAddress.get(op.address) ?? []), op]);
      for (const [address, list] of byAddress) {
        const path = `${base}/${address.replace(/^\/+/, '')}`.replace(/\{([^}]+)\}/g, '{$1}') || '/';
        const websocket: Obj = { path: path.startsWith('/') ? path : `/${path}`, echoMode: false };
        const steps: Obj[] = [];
        for (const op of list.filter((o) => o.action === 'send')) {
          const interval = intervalOf(op, server);
          for (const [i, m] of op.messages.entries()) {
            for (const p of payloadsOf(m, seed, `${address}:${i}`)) steps.push({ type: 'send', message: { type: typeof p === 'string' ? 'text' : 'json', value: p } }, { type: 'wait', duration: interval });
          }
        }
        if (steps.length > 0) websocket.scenario = { name: 'asyncapi', loop: true, steps };
        const schema = schemaOf(list.filter((o) => o.action === 'receive').flatMap((o) => o.messages));
        if (schema) websocket.schema = schema;
        if (/\{[^}]+\}/.test(websocket.path)) warnings.push(`server ${serverName}: channel ${address} has parameters; its WebSocket path is served literally`);
        mocks.push({ slug: slugify(`${serverName}-${address}`), mock: { type: 'websocket', name: `${serverName} ${address}`, websocket } });
      }
    } else warnings.push(`server ${serverName}: protocol ${protocol || '(none)'} is not supported and was skipped`);
  }
  return { format: 'asyncapi', mocks, warnings };
};
