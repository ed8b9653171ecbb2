// `mockd add` updates instead of duplicating, as the Go mockd's `add` does: a mock that already answers the same
// thing is replaced (or, for MQTT and gRPC, the one topic or method in it is), and the CLI prints
// `Updated mock: <id>`. `--allow-duplicate` (or an explicit `--id`) skips the search.
//
// The same thing means: HTTP and SSE, the same method, path and path pattern; WebSocket, the same path; MQTT, the
// same non-zero port and a topic the broker already has; gRPC, the same non-zero port and a service method it
// already has. A new topic or method on a taken port is left to the server, which merges it (contract §6, §7).

import type { Mock } from '../../mocks/types.ts';

type Spec = Record<string, any>;

export interface Upsert {
  id: string;
  /** The mock to PUT: the new one (HTTP, WebSocket), or the existing one with its topic or method replaced. */
  mock: Spec;
}

function sameHttp(a: Spec, b: Spec): boolean {
  const x = a.matcher ?? {};
  const y = b.matcher ?? {};
  return (x.method ?? '').toUpperCase() === (y.method ?? '').toUpperCase() && x.path === y.path && x.pathPattern === y.pathPattern;
}

function upsertMqtt(existing: Mock, incoming: Spec): Spec | undefined {
  const topics: Spec[] = (existing.mqtt as Spec).topics ?? [];
  const entry = incoming.mqtt.topics[0];
  const i = topics.findIndex((t) => t.topic === entry.topic);
  if (i === -1) return undefined;
  const next = topics.slice();
  next[i] = entry;
  return { ...existing, mqtt: { ...existing.mqtt, topics: next } };
}

function protoFilesOf(grpc: Spec): string[] {
  return grpc.protoFiles ?? (grpc.protoFile ? [grpc.protoFile] : []);
}

function upsertGrpc(existing: Mock, incoming: Spec): Spec | undefined {
  const current = existing.grpc as Spec;
  const [[service, { methods }]] = Object.entries(incoming.grpc.services as Record<string, Spec>);
  const [[method, config]] = Object.entries(methods as Record<string, Spec>);
  if (!current.services?.[service!]?.methods?.[method!]) return undefined;
  const services = { ...current.services, [service!]: { ...current.services[service!], methods: { ...current.services[service!].methods, [method!]: config } } };
  const grpc: Spec = { ...current, services };
  // A proto the existing server does not load yet is added, so the method's types stay resolvable.
  if (current.protoContent === undefined) {
    const files = [...new Set([...protoFilesOf(current), ...protoFilesOf(incoming.grpc)])];
    delete grpc.protoFile;
    delete grpc.protoFiles;
    if (files.length === 1) grpc.protoFile = files[0];
    else grpc.protoFiles = files;
  }
  return { ...existing, grpc };
}

/** Finds the stored mock that `incoming` (built by `add`) should update, and the mock to PUT in its place. */
export function findUpsert(mocks: readonly Mock[], incoming: Spec): Upsert | undefined {
  for (const existing of mocks) {
    if (existing.type !== incoming.type) continue;
    switch (incoming.type) {
      case 'http':
        if (sameHttp(existing.http as Spec, incoming.http)) {
          return { id: existing.id, mock: { ...incoming, name: incoming.name ?? existing.name } };
        }
        break;
      case 'websocket':
        if ((existing.websocket as Spec).path === incoming.websocket.path) {
          return { id: existing.id, mock: { ...incoming, name: incoming.name ?? existing.name } };
        }
        break;
      case 'mqtt': {
        if (incoming.mqtt.port === 0 || (existing.mqtt as Spec).port !== incoming.mqtt.port) break;
        const mock = upsertMqtt(existing, incoming);
        if (mock) return { id: existing.id, mock };
        break;
      }
      case 'grpc': {
        if (incoming.grpc.port === 0 || (existing.grpc as Spec).port !== incoming.grpc.port) break;
        const mock = upsertGrpc(existing, incoming);
        if (mock) return { id: existing.id, mock };
        break;
      }
    }
  }
  return undefined;
}
