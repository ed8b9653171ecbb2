// One aedes broker serving one MQTT mock on its own port (contract §6). Behaviour is shaped through aedes hooks
// (authenticate, authorizePublish, authorizeSubscribe) and watched through its events (client, clientDisconnect,
// publish); connections are reported to the shared MqttConnectionManager.

import type { EventEmitter } from 'node:events';
import type net from 'node:net';
import { Aedes, type AedesOptions, type AuthenticateError, type Client } from 'aedes';
import { Server as TlsServer } from 'node:tls';
import { journal } from '../../journal/recorder.ts';
import { tlsInfoOf } from '../tls/client-info.ts';
import type { Mock, OnChange } from '../../mocks/types.ts';
import { closeAfter } from '../drain.ts';
import { metrics } from '../../metrics/collector.ts';
import { threadLog } from '../../util/logger.ts';
import type { CloseReason } from '../../contract/protocols.ts';
import { findUser, mayPublish, maySubscribe, type MqttUser } from './auth.ts';
import { activeCaps, ConnectionSlots, isAnyFull, takeSlots } from './connection-limit.ts';
import { disconnectClient } from './disconnect.ts';
import { gateClient } from './fault-gate.ts';
import type { Writable } from 'node:stream';
import { createMqttJournal } from './journal.ts';
import { boundPort } from './listen.ts';
import type { MqttConnectionManager, MqttSession } from './manager.ts';
import { createOnPublish } from './on-publish.ts';
import { CONNACK_BAD_USERNAME_OR_PASSWORD, CONNACK_IDENTIFIER_REJECTED, CONNACK_SERVER_UNAVAILABLE } from './return-codes.ts';
import { scheduleMessages, type BrokerPublish } from './schedule.ts';
import { scheduleLease, sharedBrokerState, type SharedRedis } from './shared-state.ts';
import { startBridge, type MqttBridge } from './bridge.ts';

export interface MqttBroker {
  readonly mockId: string;
  readonly port: number;
  readonly authEnabled: boolean;
  /** Some listener of this broker speaks TLS (README "TLS"). */
  readonly tlsEnabled: boolean;
  /** The TLS port next to a plain `port` (`mqtt.tlsPort`); undefined when there is none. */
  readonly tlsPort?: number;
  /** True when `port` itself speaks TLS (`mqtt.tls.enabled` without `tlsPort`). */
  readonly portIsTls: boolean;
  /** New handshakes use `cert`/`key`; live clients keep their connections. */
  swapCertificate(cert: { cert: string; key: string; ca?: string }): void;
  /** Disconnects every client (queued packets flushed first), then closes the broker and its listener. */
  close(reason: CloseReason): Promise<void>;
  /**
   * A change on the same port that keeps the broker (README "Mock changes"): its clients and sessions stay. New
   * clients get `mock` at once; with `keep` the connected ones move to it too (ACLs, onPublish, limits), and one whose
   * user the new version no longer has is disconnected; with `drain` they stay on the old version until
   * `drainTimeoutMs`, then are disconnected. Scheduled messages (retained ones too) restart from the new version.
   */
  change(mock: Mock, action: Exclude<OnChange, 'close'>, drainTimeoutMs: number): void;
}

/** One version of the mock as the broker serves it; each client is served by the version it connected under. */
interface Version {
  spec: NonNullable<Mock['mqtt']>;
  caps?: ConnectionSlots[];
  maxPayload: number;
  authEnabled: boolean;
  entries: ReturnType<typeof createMqttJournal>;
  /** Absent when the version has no onPublish rules. */
  onPublish: ReturnType<typeof createOnPublish>;
}

/** What the broker learnt about a client while it connected. */
interface ClientInfo {
  username?: string;
  user?: MqttUser;
  version: Version;
}

type AedesClient = Client & { subscriptions: Record<string, unknown> };

function remoteAddrOf(conn: net.Socket): string {
  const ip = conn.remoteAddress ?? '';
  return `${ip.includes(':') ? `[${ip}]` : ip}:${conn.remotePort ?? 0}`;
}

/** A CONNECT refusal: aedes sends CONNACK with `returnCode` (2–5), then closes the connection. */
function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

// aedes reserves `$SYS/` for itself; its default authorizePublish refuses client publishes there, and so do we.
const isSystemTopic = (topic: string) => topic.startsWith('$SYS/');

/**
 * Serves `mock` on an already listening `server`; resolves once the broker accepts connections. The server is
 * owned by the broker from then on and closed by `stop()`.
 */
export async function startBroker(
  mock: Mock,
  server: net.Server,
  manager: MqttConnectionManager,
  workerSlots?: ConnectionSlots,
  shared?: SharedRedis,
  tlsServer?: TlsServer,
): Promise<MqttBroker> {
  const port = boundPort(server);
  const clients = new WeakMap<Client, ClientInfo>();
  const live = new WeakMap<Client, MqttSession>();
  /** Connected clients, for a mock change that keeps the broker. */
  const connected = new Set<Client>();
  const compile = (m: Mock, previous?: Version): Version => {
    const spec = m.mqtt!;
    const topics = spec.topics ?? [];
    const sameCap = previous !== undefined && (previous.spec.maxConnections ?? 0) === (spec.maxConnections ?? 0);
    return {
      spec,
      // `--max-connections` (shared by every broker of the worker) and this mock's `maxConnections`; a change that
      // keeps the broker and its cap keeps counting the clients it already has.
      caps: sameCap ? previous.caps : activeCaps(workerSlots, new ConnectionSlots(spec.maxConnections ?? 0)),
      // 0 = the protocol's own limit, which mqtt-packet already enforces: no check at all.
      maxPayload: spec.maxMessageSize ?? 0,
      authEnabled: spec.auth?.enabled === true,
      entries: createMqttJournal(m.id, topics, spec.proxy !== undefined),
      onPublish: createOnPublish(topics, (p) => publish(p)),
    };
  };
  // A broker without onPublish rules in any version has no listener, so a PUBLISH costs no call and no object here;
  // the listener is added the first time a version has rules (a kept change may bring some).
  // A proxy mock (issue 21) forwards every client PUBLISH to its upstream broker, so it always listens.
  let listening = false;
  const listenForPublishes = (version: Version): Version => {
    if ((version.onPublish || bridge) && !listening) {
      listening = true;
      broker.on('publish', (packet, client) => {
        // Only client PUBLISHes: the broker's own publishes (client null) never reach onPublish, so nothing loops.
        if (client && !isSystemTopic(packet.topic)) {
          versionOf(client).onPublish?.({ topic: packet.topic, payload: packet.payload as Buffer, qos: packet.qos, clientId: client.id });
          bridge?.forward({ topic: packet.topic, payload: packet.payload as Buffer, qos: packet.qos, retain: packet.retain });
        }
      });
    }
    return version;
  };
  let current = compile(mock);
  const versionOf = (client: Client | null | undefined): Version => (client && clients.get(client)?.version) || current;
  // CONNECTs whose client id the broker must reject; aedes gives authenticate no packet, so preConnect marks them.
  const rejectedIds = new WeakSet<Client>();

  const options: AedesOptions = {
    preConnect(client, packet, done) {
      // A zero-byte ClientId needs CleanSession=1 [MQTT-3.1.3-8] (and MQTT 3.1 has no zero-byte ids at all); bare
      // aedes would accept it under a generated id.
      if (packet.clientId === '' && (!packet.clean || packet.protocolVersion === 3)) rejectedIds.add(client);
      done(null, true);
    },
    authenticate(client, username, password, done) {
      // CONNACK 2 "identifier rejected" [MQTT-3.1.3-9], then aedes closes the connection.
      if (rejectedIds.has(client)) return done(refusal(CONNACK_IDENTIFIER_REJECTED, 'identifier rejected'), null);
      // A new client is served by the current version (a drained change leaves older clients on theirs).
      const v = current;
      const { caps } = v;
      // A full cap refuses before credentials are checked: CONNACK 3 "server unavailable" (MQTT 3.1.1 §3.2.2.3).
      if (caps && isAnyFull(caps)) {
        metrics.refused('mqtt', mock.id);
        return done(refusal(CONNACK_SERVER_UNAVAILABLE, 'server unavailable'), null);
      }
      let info: ClientInfo = { username, version: v };
      if (v.authEnabled) {
        const user = findUser(v.spec.auth, username, password);
        // CONNACK 4 "bad user name or password" (MQTT 3.1.1 §3.2.2.3), then aedes closes the connection.
        if (!user) return done(refusal(CONNACK_BAD_USERNAME_OR_PASSWORD, 'bad user name or password'), null);
        info = { username, user, version: v };
      }
      if (caps && !takeSlots(caps, client.conn as net.Socket)) {
        metrics.refused('mqtt', mock.id);
        return done(refusal(CONNACK_SERVER_UNAVAILABLE, 'server unavailable'), null);
      }
      clients.set(client, info);
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      if (client && isSystemTopic(packet.topic)) return done(new Error('$SYS/ topics are reserved'));
      const { maxPayload, entries } = versionOf(client);
      // An oversized PUBLISH is dropped and its client disconnected, as a denied one is (README "Limits").
      if (client && maxPayload > 0 && packet.payload.length > maxPayload) return done(new Error('message too large'));
      // A denied PUBLISH is dropped and, by failing the packet, aedes disconnects the client (contract §6).
      if (client && !mayPublish(clients.get(client)?.user, packet.topic)) return done(new Error('publish not authorized'));
      // Journaled here rather than on 'publish': aedes delivers before it emits 'publish', and the `in` entry of a
      // PUBLISH should come before its deliveries (§12). Broker publishes have no client and are never `in`.
      if (client && metrics.enabled) metrics.message('mqtt', mock.id, 'in', packet.payload.length, entries.isMatched(packet.topic));
      if (client && journal.enabled) entries.received(client, packet);
      done(null);
    },
    authorizeForward(client, packet) {
      // Called once per delivery to a subscribed client (after aedes's dedupe), the broker's own publishes included.
      if (!isSystemTopic(packet.topic) && (metrics.enabled || journal.enabled)) {
        const entries = versionOf(client).entries;
        if (metrics.enabled) metrics.message('mqtt', mock.id, 'out', packet.payload.length, entries.isMatched(packet.topic));
        if (journal.enabled) entries.delivered(client, packet);
      }
      return packet;
    },
    authorizeSubscribe(client, sub, done) {
      // A null subscription makes aedes answer SUBACK 0x80 for that filter (MQTT 3.1.1 §3.9.3).
      done(null, maySubscribe(clients.get(client)?.user, sub.topic) ? sub : null);
    },
  };
  // Cluster mode: PUBLISHes, retained messages and sessions go through the Redis every replica shares.
  if (shared) Object.assign(options, sharedBrokerState(shared, mock.id));
  const broker = await Aedes.createBroker(options);

  const publish: BrokerPublish = ({ topic, payload, qos, retain }) => {
    const packet = { cmd: 'publish' as const, topic, payload: Buffer.from(payload), qos, retain, dup: false };
    broker.publish(packet, () => undefined);
  };
  const bridge: MqttBridge | undefined = mock.mqtt!.proxy ? await startBridge(mock.id, mock.mqtt!.proxy, publish) : undefined;

  broker.on('client', (client) => {
    const info = clients.get(client) ?? { version: current };
    const conn = client.conn as net.Socket;
    const tls = tlsInfoOf(conn);
    const session = manager.open({
      clientId: client.id,
      mockId: mock.id,
      // A client of the TLS port next to a plain one is that port's session (ids may repeat across ports).
      port: tls && tlsServer ? boundPort(tlsServer) : port,
      ...(tls ? { tls } : {}),
      protocolVersion: client.version,
      username: info.username,
      remoteAddr: remoteAddrOf(client.conn as net.Socket),
      subscriptions: () => Object.keys((client as AedesClient).subscriptions),
    }, () => disconnectClient(client), { socket: () => client.conn as net.Socket, closeWith: () => disconnectClient(client) });
    gateClient(client.conn as Writable, {
      outbound: () => manager.faults.outbound(session.key),
      dropPuback: () => manager.faults.takePuback(session.key),
    });
    live.set(client, session);
    connected.add(client);
  });
  broker.on('clientDisconnect', (client) => {
    connected.delete(client);
    const session = live.get(client);
    if (session) manager.gone(session);
  });
  listenForPublishes(current);
  // Without a listener an aedes 'error' (e.g. from persistence) would throw and take the worker down.
  (broker as EventEmitter).on('error', (err: Error) => threadLog().error(`mqtt broker ${mock.id}: ${err.message}`));

  const sockets = new Set<net.Socket>();
  const listeners = tlsServer ? [server, tlsServer] : [server];
  for (const listener of listeners) {
    const isTls = listener instanceof TlsServer;
    listener.on('connection', (socket: net.Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      if (!isTls) broker.handle(socket);
    });
    // Over TLS the broker reads the decrypted stream; a failed handshake never reaches it.
    if (isTls) {
      listener.on('secureConnection', (socket: net.Socket) => broker.handle(socket));
      listener.on('tlsClientError', () => undefined);
    }
    listener.on('error', (err) => threadLog().error(`mqtt listener ${mock.id}: ${err.message}`));
  }

  // Cluster mode: one replica sends the scheduled messages (the lease holder); a PUBLISH reaches every replica's clients.
  const lease = shared ? scheduleLease(shared, mock.id) : undefined;
  const publishScheduled: BrokerPublish = lease ? (p) => void lease.ready.then(() => lease.held && publish(p)) : publish;
  let stopSchedule = scheduleMessages(current.spec.topics ?? [], publishScheduled);

  const change = (next: Mock, action: Exclude<OnChange, 'close'>, drainTimeoutMs: number) => {
    const previous = current;
    current = listenForPublishes(compile(next, previous));
    stopSchedule();
    stopSchedule = scheduleMessages(current.spec.topics ?? [], publishScheduled);
    const affected: MqttSession[] = [];
    for (const client of connected) {
      const info = clients.get(client);
      const session = live.get(client);
      if (!info || !session || info.version !== previous) continue;
      if (action === 'drain') {
        affected.push(session);
        continue;
      }
      // Kept: the client is checked against the new version's users by its user name (its password is not kept).
      const user = current.authEnabled ? current.spec.auth?.users?.find((u) => u.username === info.username) : undefined;
      if (current.authEnabled && !user) {
        void manager.closeSession(session, 'mock_changed');
        continue;
      }
      clients.set(client, { username: info.username, user, version: current });
    }
    if (affected.length > 0) {
      const byKey = new Map(affected.map((s) => [s.key, s]));
      closeAfter([...byKey.keys()], drainTimeoutMs, (key) => manager.closeSession(byKey.get(key)!, 'mock_changed'));
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = async (reason: CloseReason) => {
    stopSchedule();
    lease?.close();
    const bridgeClosed = bridge?.close();
    const serverClosed = Promise.all(listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
    await manager.closeByMock(mock.id, reason);
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    // Connections that never completed CONNECT are not clients yet: drop them too.
    for (const socket of sockets) socket.destroy();
    await serverClosed;
    await bridgeClosed;
  };

  return {
    mockId: mock.id,
    port,
    get authEnabled() {
      return current.authEnabled;
    },
    tlsEnabled: listeners.some((l) => l instanceof TlsServer),
    ...(tlsServer ? { tlsPort: boundPort(tlsServer) } : {}),
    portIsTls: server instanceof TlsServer,
    swapCertificate(next) {
      for (const l of listeners) if (l instanceof TlsServer) l.setSecureContext({ cert: next.cert, key: next.key, ...(next.ca ? { ca: next.ca } : {}) });
    },
    close: (reason) => (stopping ??= stop(reason)),
    change,
  };
}
