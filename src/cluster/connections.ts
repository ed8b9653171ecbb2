// One connection registry across replicas (README "Cluster mode"). Every record a replica lists carries `replica`, and
// its id is qualified as `<local id>@<replica>` so an id names one connection in the whole cluster; get, close and
// send go to the replica the id names (an id without `@` means this replica's own). Listings and stats ask every live
// replica, each within a bound: one that does not answer in time is left out of a listing (it is dying; its heartbeat
// expires soon) but a call routed to it gets 503.

import { MockdError } from '../errors.ts';
import type { CloseReason, ConnectionRecord, ConnectionStats, Protocol } from '../contract/protocols.ts';
import { PROTOCOL_PROFILES } from '../contract/profiles.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import type { ClusterConnections } from '../coordinator/cluster-hooks.ts';
import type { ReplicaDirectory } from './replicas.ts';
import type { ReplicaRpc, RpcHandler } from './rpc.ts';

export const LIST_TIMEOUT_MS = 1500;

type Record_ = ConnectionRecord & { replica?: string };

/** `ws-4@b` → local id `ws-4` on replica `b`; `ws-4` → this replica. */
export function splitConnectionId(id: string, self: string): { local: string; replica: string } {
  const at = id.lastIndexOf('@');
  return at > 0 ? { local: id.slice(0, at), replica: id.slice(at + 1) } : { local: id, replica: self };
}

export function qualify(record: ConnectionRecord, replica: string): Record_ {
  return { ...record, id: `${record.id}@${replica}`, replica };
}

/** What this replica answers for the others: its own connections only. */
export function localConnectionHandlers(c: Coordinator): Record<string, RpcHandler> {
  const pool = (p: Protocol) => c.poolOfProtocol(p);
  return {
    list: ({ protocol, mockId }) => pool(protocol).listConnections(protocol, mockId),
    get: ({ protocol, id }) => pool(protocol).getConnection(protocol, id),
    close: ({ protocol, id, reason }) => pool(protocol).closeConnection(protocol, id, reason),
    closeByMock: ({ protocol, mockId, reason }) => pool(protocol).closeConnectionsOfMock(protocol, mockId, reason),
    stats: ({ protocol }) => pool(protocol).stats(protocol),
    send: async ({ id, type, data }) => {
      await pool('websocket').sendWebSocket(id, type, data);
      return true;
    },
  };
}

export class ClusterConnectionRegistry implements ClusterConnections {
  constructor(
    private readonly c: Coordinator,
    private readonly replicas: ReplicaDirectory,
    private readonly rpc: ReplicaRpc,
  ) {}

  get #self(): string {
    return this.replicas.self.id;
  }

  /** The answers of every live peer that answered within the bound. */
  async #fromPeers<T>(op: string, args: unknown): Promise<{ replica: string; value: T }[]> {
    const answers = await Promise.all(
      this.replicas.peers().map((replica) =>
        this.rpc.call<T>(replica, op, args, LIST_TIMEOUT_MS).then(
          (value) => ({ replica, value }),
          () => undefined,
        ),
      ),
    );
    return answers.filter((a): a is { replica: string; value: T } => a !== undefined);
  }

  async list(protocol: Protocol, mockId?: string): Promise<ConnectionRecord[]> {
    const [mine, theirs] = await Promise.all([
      this.c.poolOfProtocol(protocol).listConnections(protocol, mockId),
      this.#fromPeers<ConnectionRecord[]>('list', { protocol, mockId }),
    ]);
    const all = [...mine.map((r) => qualify(r, this.#self)), ...theirs.flatMap((a) => a.value.map((r) => qualify(r, a.replica)))];
    return all.sort((a, b) => String((a as { connectedAt?: string }).connectedAt ?? '').localeCompare(String((b as { connectedAt?: string }).connectedAt ?? '')));
  }

  async stats(protocol: Protocol): Promise<ConnectionStats> {
    const [mine, theirs] = await Promise.all([this.c.poolOfProtocol(protocol).stats(protocol), this.#fromPeers<ConnectionStats>('stats', { protocol })]);
    return PROTOCOL_PROFILES[protocol].mergeStats([mine, ...theirs.map((a) => a.value)]);
  }

  /** Runs `op` where the connection lives: here, or on the replica its id names (404 if that replica is gone). */
  async #routed<T>(id: string, local: (localId: string) => Promise<T>, op: string, args: Record<string, unknown>, absent: T): Promise<T> {
    const { local: localId, replica } = splitConnectionId(id, this.#self);
    if (replica === this.#self) return local(localId);
    if (!this.replicas.isLive(replica)) return absent;
    return this.rpc.call<T>(replica, op, { ...args, id: localId });
  }

  async get(protocol: Protocol, id: string): Promise<ConnectionRecord | undefined> {
    const { replica } = splitConnectionId(id, this.#self);
    const found = await this.#routed<ConnectionRecord | undefined>(id, (l) => this.c.poolOfProtocol(protocol).getConnection(protocol, l), 'get', { protocol }, undefined);
    return found ? qualify(found, replica) : undefined;
  }

  close(protocol: Protocol, id: string, reason: CloseReason): Promise<boolean> {
    return this.#routed(id, (l) => this.c.poolOfProtocol(protocol).closeConnection(protocol, l, reason), 'close', { protocol, reason }, false);
  }

  async closeByMock(protocol: Protocol, mockId: string, reason: CloseReason): Promise<number> {
    const peers = this.replicas.peers();
    const [mine, theirs] = await Promise.all([
      this.c.poolOfProtocol(protocol).closeConnectionsOfMock(protocol, mockId, reason),
      Promise.allSettled(peers.map((r) => this.rpc.call<number>(r, 'closeByMock', { protocol, mockId, reason }))),
    ]);
    const failed = peers.filter((_r, i) => theirs[i]!.status === 'rejected');
    const closed = mine + theirs.reduce((n, s) => n + (s.status === 'fulfilled' ? s.value : 0), 0);
    if (failed.length) throw new MockdError('worker_unavailable', `closed ${closed} connection(s); replica(s) ${failed.join(', ')} did not answer`);
    return closed;
  }

  async sendWebSocket(id: string, type: 'text' | 'binary', data: string): Promise<void> {
    const sent = await this.#routed<boolean>(id, async (l) => {
      await this.c.poolOfProtocol('websocket').sendWebSocket(l, type, data);
      return true;
    }, 'send', { type, data }, false);
    if (!sent) throw new MockdError('not_found', PROTOCOL_PROFILES.websocket.api.notFound);
  }
}
