// Port rules of contract §6 and §7: who holds which port, and whether a new MQTT or gRPC mock merges, conflicts or
// binds a port of its own.

import { MockdError } from '../errors.ts';
import type { Mock } from '../mocks/types.ts';

export type PortDecision = { kind: 'own' } | { kind: 'merge'; target: Mock };

/** The spec port of an MQTT or gRPC mock (0 = pick). */
export function specPort(mock: Pick<Mock, 'type' | 'mqtt' | 'grpc'>): number | undefined {
  if (mock.type === 'mqtt') return mock.mqtt?.port;
  if (mock.type === 'grpc') return mock.grpc?.port;
  return undefined;
}

export interface PortView {
  /** Ports of mockd's own listeners (mock port, admin port). */
  reserved: number[];
  /** Stored mocks, enabled or not. */
  mocks: Mock[];
  /** The port each running MQTT/gRPC mock is actually bound to. */
  assigned: Map<string, number>;
}

/**
 * Decides what a create (merge allowed) or an update (merge not allowed) of `mock` does with its port.
 * `selfId` is the id of the mock being updated, so a mock never conflicts with itself.
 */
export function decidePort(mock: Pick<Mock, 'type' | 'mqtt' | 'grpc'>, view: PortView, opts: { allowMerge: boolean; selfId?: string }): PortDecision {
  const port = specPort(mock);
  if (port === undefined || port === 0) return { kind: 'own' };
  if (view.reserved.includes(port)) {
    throw new MockdError('port_conflict', `port ${port} is used by mockd itself`, `${mock.type}.port`);
  }
  for (const other of view.mocks) {
    if (other.id === opts.selfId) continue;
    const otherPort = view.assigned.get(other.id) ?? specPort(other);
    if (otherPort !== port) continue;
    if (other.type !== mock.type) {
      throw new MockdError('port_conflict', `port ${port} is used by ${other.type} mock ${other.id}`, `${mock.type}.port`);
    }
    // A mock created with port 0 is never merged into (contract §1): only a stored non-zero port merges.
    if (opts.allowMerge && specPort(other) === port) return { kind: 'merge', target: other };
    throw new MockdError('port_conflict', `port ${port} is used by ${other.type} mock ${other.id}`, `${mock.type}.port`);
  }
  return { kind: 'own' };
}
