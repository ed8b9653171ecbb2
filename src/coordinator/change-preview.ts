// What a mock change will do to live connections and ports (README "Mock changes"): the answer of a dry run, and the
// `change.decided` event every real change emits before the workers carry it out. The policy itself is decided by
// src/mocks/change-policy.ts, the same function the workers run, so a dry run names exactly the connections the
// real change then touches (connections opened or gone in between aside).

import { grpcStreamKept, planChange, policyOf } from '../mocks/change-policy.ts';
import { isSseMock, type Mock, type OnChange } from '../mocks/types.ts';
import { MOCK_TYPE_PROFILES } from '../contract/profiles.ts';
import type { ConnectionRecord, Protocol } from '../contract/protocols.ts';

export type ChangeKind = 'create' | 'update' | 'delete';

export interface ConnectionFates {
  close: string[];
  drain: string[];
  keep: string[];
}

export interface ChangePreview {
  mockId: string;
  /** The mock's protocol: its connections' (websocket, sse, mqtt, grpc), or http for a plain HTTP mock. */
  protocol: Protocol | 'http';
  change: ChangeKind;
  /** The policy asked for, and what it does here (`close` where it cannot hold; `fallback` says why). */
  onChange: OnChange;
  action: OnChange;
  drainTimeoutMs: number;
  fallback?: string;
  /** Per protocol, the ids of the live connections the change closes, drains or keeps. */
  connections: Partial<Record<Protocol, ConnectionFates>>;
  /** Own ports (MQTT, gRPC) the change binds and frees; 0 = a free port picked at bind time. */
  ports: { bind: number[]; free: number[] };
}

export interface PreviewDeps {
  listConnections(protocol: Protocol, mockId: string): Promise<ConnectionRecord[]>;
  /** The port an own-port mock listens on now, if it runs. */
  portOf(mockId: string): number | undefined;
}

/** The connection protocol of a mock version, if it has live connections at all (plain HTTP has none). */
function protocolOf(mock: Mock): Protocol | undefined {
  if (mock.type === 'http') return isSseMock(mock) ? 'sse' : undefined;
  return mock.type;
}

/** What changing `old` into `next` (undefined: deleting it; `old` undefined: creating `next`) would do. */
export async function previewChange(deps: PreviewDeps, old: Mock | undefined, next: Mock | undefined): Promise<ChangePreview> {
  const mockId = (old ?? next)!.id;
  const change: ChangeKind = !old ? 'create' : next ? 'update' : 'delete';
  const oldPort = old?.enabled ? deps.portOf(mockId) : undefined;
  const plan = old ? planChange(old, next, oldPort) : { ...policyOf(next!), action: policyOf(next!).policy };
  const preview: ChangePreview = {
    mockId,
    protocol: protocolOf((next ?? old)!) ?? 'http',
    change,
    onChange: plan.policy,
    action: plan.action,
    drainTimeoutMs: plan.drainTimeoutMs,
    ...('fallback' in plan && plan.fallback ? { fallback: plan.fallback } : {}),
    connections: {},
    ports: portsOf(old, next, oldPort),
  };
  const protocol = old?.enabled ? protocolOf(old) : undefined;
  if (!protocol) return preview;
  const fates: ConnectionFates = { close: [], drain: [], keep: [] };
  for (const record of await deps.listConnections(protocol, mockId)) {
    let fate = plan.action;
    // A gRPC stream whose method the new version drops cannot be kept or drained: it alone closes.
    if (fate !== 'close' && protocol === 'grpc' && next?.enabled && !grpcStreamKept(next, (record as unknown as { method: string }).method)) fate = 'close';
    fates[fate].push(record.id);
  }
  preview.connections[protocol] = fates;
  return preview;
}

function portsOf(old: Mock | undefined, next: Mock | undefined, oldPort: number | undefined): ChangePreview['ports'] {
  const type = (next ?? old)!.type;
  const ownPort = MOCK_TYPE_PROFILES[type].ownPort;
  const ports: ChangePreview['ports'] = { bind: [], free: [] };
  if (!ownPort && !(old && MOCK_TYPE_PROFILES[old.type].ownPort)) return ports;
  const spec = next?.enabled && ownPort ? (ownPort.read(next) ?? 0) : undefined;
  const nextPort = spec === undefined ? undefined : spec === 0 ? (oldPort ?? 0) : spec;
  if (oldPort !== undefined && oldPort !== nextPort) ports.free.push(oldPort);
  if (nextPort !== undefined && nextPort !== oldPort) ports.bind.push(nextPort);
  return ports;
}
