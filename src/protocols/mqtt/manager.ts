// Live MQTT clients of every broker in the worker (contract §9.4), on top of the shared ConnectionRegistry.
// One client id may be connected to several brokers at once, so the registry keys sessions by `<port>/<clientId>`;
// everything this manager hands out (records, events) uses the bare client id the contract speaks of.

import type { CloseReason, ConnectionListener, ConnectionManager, Goodbye } from '../../contract/protocols.ts';
import { ConnectionRegistry } from '../connections.ts';
import type { ConnectionFault } from '../../contract/faults.ts';
import type { ConnectionFaults, FaultTarget } from '../faults/connection-faults.ts';
import type { MqttConnection, MqttStats } from './types.ts';
import type { TlsInfo } from '../../contract/tls.ts';

/** What the manager keeps per session: the contract record minus what is read live (subscriptions). */
interface Session {
  /** Registry key `<port>/<clientId>`. */
  id: string;
  clientId: string;
  mockId: string;
  port: number;
  connectedAt: string;
  protocolVersion: number;
  username?: string;
  remoteAddr: string;
  /** Set by the registry in a pool of several mqtt workers. */
  worker?: string;
  tls?: TlsInfo;
}

/** A connected client as a broker reports it to the manager (its goodbye is handed to `open`). */
export interface LiveClient {
  clientId: string;
  mockId: string;
  port: number;
  protocolVersion: number;
  username?: string;
  remoteAddr: string;
  /** Present for a client of a TLS listener. */
  tls?: TlsInfo;
  /** The filters subscribed now, read when a record or stats are built. */
  subscriptions(): string[];
}

/** What `open` hands back and `gone` takes: one session of a client on one broker. */
export interface MqttSession {
  readonly key: string;
}

/** A running broker as stats see it. */
export interface BrokerInfo {
  port: number;
  authEnabled: boolean;
  tlsEnabled: boolean;
}

function sessionKey(port: number, clientId: string): string {
  return `${port}/${clientId}`;
}

function clientIdOf(key: string): string {
  return key.slice(key.indexOf('/') + 1);
}

export class MqttConnectionManager implements ConnectionManager<MqttConnection, MqttStats> {
  readonly protocol = 'mqtt' as const;
  readonly #registry = new ConnectionRegistry<Session>('mqtt');
  readonly #live = new Map<string, LiveClient & MqttSession>();

  /** `brokers` lists the running brokers, for the `port` and `authEnabled` stats. */
  constructor(private readonly brokers: () => Iterable<BrokerInfo>) {
    // However a session ends (client, broker, registry close), its live handle goes with it.
    this.#registry.onEvent((event) => {
      if (event.type === 'connection.closed') this.#live.delete(event.id);
    });
  }

  /**
   * A broker accepted a client (after CONNECT was authenticated); `goodbye` flushes queued packets and closes the TCP
   * connection. A client id that connects again takes the session over before the old one's disconnect arrives, so
   * `gone` takes the session `open` returned, not the id.
   */
  open(client: LiveClient, goodbye: Goodbye, target?: FaultTarget): MqttSession {
    const key = sessionKey(client.port, client.clientId);
    const live = { ...client, key };
    const session: Session = {
      id: key,
      clientId: client.clientId,
      mockId: client.mockId,
      port: client.port,
      connectedAt: new Date().toISOString(),
      protocolVersion: client.protocolVersion,
      remoteAddr: client.remoteAddr,
    };
    if (client.username !== undefined) session.username = client.username;
    if (client.tls !== undefined) session.tls = client.tls;
    this.#live.set(key, live);
    this.#registry.add(session, goodbye, target);
    return live;
  }

  /** A broker's client went away; ignored unless `session` is still the client's current one (takeovers). */
  gone(session: MqttSession, reason?: CloseReason): void {
    if (this.#live.get(session.key) === session) this.#registry.remove(session.key, reason);
  }

  /** Clients connected now, to every broker of the worker. */
  get size(): number {
    return this.#registry.size;
  }

  list(mockId?: string): MqttConnection[] {
    return this.#registry.list(mockId).map((s) => this.#toRecord(s));
  }

  /** The oldest session of that client id (contract §9.4). */
  get(id: string): MqttConnection | undefined {
    const session = this.#sessionsOf(id)[0];
    return session && this.#toRecord(session);
  }

  /** Closes the client on every broker it is connected to. */
  async close(id: string, reason: CloseReason): Promise<boolean> {
    const keys = this.#sessionsOf(id).map((s) => s.id);
    await Promise.all(keys.map((key) => this.#registry.close(key, reason)));
    return keys.length > 0;
  }

  /** Closes one session of a client on one broker (a drained or no longer authorised client after a mock change). */
  closeSession(session: MqttSession, reason: CloseReason): Promise<boolean> {
    return this.#registry.close(session.key, reason);
  }

  closeByMock(mockId: string, reason: CloseReason): Promise<number> {
    return this.#registry.closeByMock(mockId, reason);
  }

  /** A fault on the client on every broker it is connected to (README "Faults and chaos"). */
  fault(id: string, fault: ConnectionFault): boolean {
    return this.#sessionsOf(id).map((s) => this.#registry.faults.apply(s.id, fault)).some(Boolean);
  }

  faultByMock(mockId: string, fault: ConnectionFault): number {
    return this.#registry.faults.applyToMock(mockId, fault);
  }

  liftFault(id: string): boolean {
    return this.#sessionsOf(id).map((s) => this.#registry.faults.lift(s.id)).some(Boolean);
  }

  liftFaultsOfMock(mockId: string): number {
    return this.#registry.faults.liftMock(mockId);
  }

  /** The faults of this protocol, for the broker's outbound gate (keys are `<port>/<clientId>`). */
  get faults(): ConnectionFaults {
    return this.#registry.faults;
  }

  closeAll(reason: CloseReason): Promise<number> {
    return this.#registry.closeAll(reason);
  }

  stats(): MqttStats {
    const subscriptionsByClient: Record<string, number> = {};
    const filters = new Set<string>();
    let totalSubscriptions = 0;
    for (const session of this.#registry.records()) {
      const subs = this.#live.get(session.id)?.subscriptions() ?? [];
      subscriptionsByClient[session.clientId] = (subscriptionsByClient[session.clientId] ?? 0) + subs.length;
      totalSubscriptions += subs.length;
      for (const f of subs) filters.add(f);
    }
    let port = 0;
    let authEnabled = false;
    let tlsEnabled = false;
    for (const b of this.brokers()) {
      if (port === 0 || b.port < port) port = b.port;
      authEnabled ||= b.authEnabled;
      tlsEnabled ||= b.tlsEnabled;
    }
    return {
      connectedClients: this.#registry.size,
      totalConnections: this.#registry.totalConnections,
      totalSubscriptions,
      topicCount: filters.size,
      port,
      tlsEnabled,
      authEnabled,
      subscriptionsByClient,
      connectionsByMock: this.#registry.connectionsByMock(),
      ...this.#registry.tlsStat(),
    };
  }

  /** Events carry the bare client id, like every record. */
  onEvent(listener: ConnectionListener): () => void {
    return this.#registry.onEvent((event) => listener({ ...event, id: clientIdOf(event.id) }));
  }

  #sessionsOf(clientId: string): Session[] {
    const out: Session[] = [];
    for (const s of this.#registry.records()) if (s.clientId === clientId) out.push(s);
    return out;
  }

  #toRecord(s: Session): MqttConnection {
    return {
      id: s.clientId,
      mockId: s.mockId,
      brokerId: s.mockId,
      port: s.port,
      connectedAt: s.connectedAt,
      subscriptions: this.#live.get(s.id)?.subscriptions() ?? [],
      protocolVersion: s.protocolVersion,
      ...(s.username !== undefined && { username: s.username }),
      remoteAddr: s.remoteAddr,
      status: 'connected',
      ...(s.tls !== undefined && { tls: s.tls }),
      ...(s.worker !== undefined && { worker: s.worker }),
    };
  }
}
