// What a mock change does to the live connections of the mock (README "Mock changes"): the mock's `onChange` policy,
// and where that policy cannot hold, the fallback to `close`. Pure functions over plain mocks, so the coordinator
// (dry run) and the workers (the real change) decide the same way.

import { isSseMock, type Mock, type OnChange } from './types.ts';

/** `drainTimeoutMs` when a mock leaves it unset. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

export interface ChangePlan {
  /** The policy asked for (the new version's; for a delete, the stored version's). */
  policy: OnChange;
  /** What happens to the connections the change touches: the policy, or `close` where it cannot hold. */
  action: OnChange;
  drainTimeoutMs: number;
  /** Why the policy fell back to `close` for every connection of the mock. */
  fallback?: string;
}

export function policyOf(mock: Mock): { policy: OnChange; drainTimeoutMs: number } {
  return { policy: mock.onChange ?? 'close', drainTimeoutMs: mock.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS };
}

/**
 * How a change from `old` to `next` (undefined: deleted) treats the old version's connections. `oldPort` is the port
 * an own-port mock listens on now (a spec port of 0 keeps it across updates).
 */
export function planChange(old: Mock, next: Mock | undefined, oldPort?: number): ChangePlan {
  // A deleted, disabled or retyped mock is gone as far as its connections go: the stored version's policy applies.
  const removed = !next ? 'the mock is deleted' : !next.enabled ? 'the mock is disabled' : next.type !== old.type ? 'the mock type changed' : undefined;
  const { policy, drainTimeoutMs } = policyOf(removed ? old : next!);
  const plan = (fallback?: string): ChangePlan =>
    fallback && policy !== 'close' ? { policy, action: 'close', drainTimeoutMs, fallback } : { policy, action: policy, drainTimeoutMs };
  if (policy === 'close') return plan();
  if (removed) {
    // There is no new version to move to, and an own listener (MQTT broker, gRPC server) stops with its mock.
    if (policy === 'keep') return plan(`${removed}: there is no version to keep`);
    if (old.type === 'mqtt' || old.type === 'grpc') return plan(`${removed}: its ${old.type === 'mqtt' ? 'broker' : 'server'} stops`);
    return plan();
  }
  return plan(reasonNotKeepable(old, next!, oldPort, policy));
}

/** Why the old version's connections cannot stay on this listener or path, or undefined when they can. */
function reasonNotKeepable(old: Mock, next: Mock, oldPort: number | undefined, policy: OnChange): string | undefined {
  switch (old.type) {
    case 'websocket':
      if (policy === 'keep' && old.websocket!.path !== next.websocket!.path) return 'the WebSocket path changed';
      return undefined;
    case 'http':
      if (!isSseMock(old)) return undefined;
      if (policy === 'keep' && !isSseMock(next)) return 'the mock no longer serves SSE';
      if (policy === 'keep' && pathOf(old) !== pathOf(next)) return 'the SSE path changed';
      return undefined;
    case 'mqtt':
    case 'grpc': {
      const spec = next[old.type]!;
      const was = oldPort ?? old[old.type]!.port;
      if (spec.port !== 0 && spec.port !== was) return `the port changed (${was} to ${spec.port})`;
      if (old.type === 'mqtt' && JSON.stringify([old.mqtt!.tls, old.mqtt!.tlsPort]) !== JSON.stringify([next.mqtt!.tls, next.mqtt!.tlsPort])) {
        return 'the TLS settings changed (tls, tlsPort)';
      }
      if (old.type === 'grpc' && serverKey(old) !== serverKey(next)) return 'the protos or server options changed (protoFile, protoFiles, protoContent, importPaths, reflection, maxMessageSize, maxConnections, tls, proxy)';
      return undefined;
    }
  }
}

/** For a kept or drained gRPC mock: a stream whose method the new version no longer configures closes. */
export function grpcStreamKept(next: Mock, method: string): boolean {
  const [service, name] = method.slice(1).split('/');
  return next.grpc?.services?.[service ?? '']?.methods[name ?? ''] !== undefined;
}

function pathOf(mock: Mock): string | undefined {
  return mock.http?.matcher.path ?? mock.http?.matcher.pathPattern;
}

/** What a running gRPC server is built with, beyond its methods' answers: a change here needs a new server. */
function serverKey(mock: Mock): string {
  const { protoFile, protoFiles, protoContent, importPaths, reflection, maxMessageSize, maxConnections, tls, proxy } = mock.grpc!;
  return JSON.stringify([protoFile, protoFiles, protoContent, importPaths, reflection, maxMessageSize, maxConnections, tls, proxy]);
}
