// The workers of one kind (http, mqtt or grpc) as the coordinator sees them: every call from the coordinator to a
// worker goes through its pool (admin route → coordinator → worker pool → worker API → ConnectionManager).
// A mock change reaches every member; connection listings and stats merge the members' answers by the protocol's
// profile; get, close and send go to the member that holds the connection (ids are unique across members).
// Today each pool has one member; the pool is the seam where a kind gets several.

import { MockdError } from '../errors.ts';
import type { Mock } from '../mocks/types.ts';
import type { JournalEntry, JournalFilter } from '../journal/types.ts';
import type { CloseReason, ConnectionRecord, ConnectionStats, Protocol, WorkerName } from '../contract/protocols.ts';
import { PROTOCOL_PROFILES } from '../contract/profiles.ts';
import type { ListenerInfo, MockRuntime } from '../contract/worker-api.ts';
import type { WorkerHandle } from './worker-handle.ts';

export class WorkerPool {
  constructor(
    readonly name: WorkerName,
    readonly members: readonly WorkerHandle[],
  ) {}

  /** Starts every member; resolves once all answer. */
  async start(): Promise<void> {
    await Promise.all(this.members.map((m) => m.start()));
  }

  /** Graceful: every member says goodbye to its clients, then stops. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map((m) => m.stop()));
  }

  /** Registers a mock with every member (or only `on`, a member that was restarted); resolves once it serves. */
  async apply(mock: Mock, on?: WorkerHandle): Promise<MockRuntime> {
    const runtimes = await Promise.all((on ? [on] : this.members).map((m) => m.call('apply', mock)));
    return runtimes[0]!;
  }

  /** What only a worker can check (e.g. that gRPC protos parse); one member answers for all. */
  validate(mock: Mock): Promise<void> {
    return this.#first().call('validate', mock);
  }

  async remove(mockId: string): Promise<void> {
    await Promise.all(this.members.map((m) => m.call('remove', mockId)));
  }

  async listeners(): Promise<ListenerInfo[]> {
    const lists = await Promise.all(this.members.map((m) => m.call('listeners')));
    return lists.flat();
  }

  async setEnabledCount(count: number): Promise<void> {
    await Promise.all(this.members.map((m) => m.call('setEnabledCount', count)));
  }

  /** Live connections of every member, oldest first. */
  async listConnections(protocol: Protocol, mockId?: string): Promise<ConnectionRecord[]> {
    const lists = await Promise.all(this.members.map((m) => m.call('listConnections', protocol, mockId)));
    if (lists.length === 1) return lists[0]!;
    return lists.flat().sort((a, b) => a.connectedAt.localeCompare(b.connectedAt));
  }

  async getConnection(protocol: Protocol, id: string): Promise<ConnectionRecord | undefined> {
    const found = await Promise.all(this.members.map((m) => m.call('getConnection', protocol, id)));
    return found.find((r) => r !== undefined);
  }

  /** False when no member holds the connection. */
  async closeConnection(protocol: Protocol, id: string, reason: CloseReason): Promise<boolean> {
    const closed = await Promise.all(this.members.map((m) => m.call('closeConnection', protocol, id, reason)));
    return closed.some(Boolean);
  }

  async closeConnectionsOfMock(protocol: Protocol, mockId: string, reason: CloseReason): Promise<number> {
    const counts = await Promise.all(this.members.map((m) => m.call('closeConnectionsOfMock', protocol, mockId, reason)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async stats(protocol: Protocol): Promise<ConnectionStats> {
    const parts = await Promise.all(this.members.map((m) => m.call('stats', protocol)));
    return PROTOCOL_PROFILES[protocol].mergeStats(parts);
  }

  /** Sends on the member that holds the connection; not_found when none does. */
  async sendWebSocket(id: string, type: 'text' | 'binary', data: string): Promise<void> {
    if (this.members.length === 1) return this.members[0]!.call('sendWebSocket', id, type, data);
    const holder = (await Promise.all(this.members.map(async (m) => ((await m.call('getConnection', 'websocket', id)) ? m : undefined)))).find(Boolean);
    if (!holder) throw new MockdError('not_found', 'Connection not found');
    return holder.call('sendWebSocket', id, type, data);
  }

  /** Journal entries of every member; a member that does not answer contributes none. */
  async journalQuery(filter: JournalFilter): Promise<JournalEntry[]> {
    const lists = await Promise.all(this.members.map((m) => m.call('journalQuery', filter).catch(() => [] as JournalEntry[])));
    return lists.flat();
  }

  async journalClear(): Promise<void> {
    await Promise.all(this.members.map((m) => m.call('journalClear')));
  }

  async journalRemoveMock(mockId: string): Promise<number> {
    const counts = await Promise.all(this.members.map((m) => m.call('journalRemoveMock', mockId)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async journalStreaming(on: boolean): Promise<void> {
    await Promise.all(this.members.map((m) => m.call('journalStreaming', on).catch(() => undefined)));
  }

  /** Per member, for `/health`. */
  health(): { state: WorkerHandle['state']; restarts: number }[] {
    return this.members.map((m) => ({ state: m.state, restarts: m.restarts }));
  }

  #first(): WorkerHandle {
    const member = this.members[0];
    if (!member) throw new MockdError('worker_unavailable', `the ${this.name} worker is not available`);
    return member;
  }
}
