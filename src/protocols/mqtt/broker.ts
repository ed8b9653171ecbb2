// One aedes broker serving one MQTT mock on its own port (contract §6). Behaviour is shaped through aedes hooks
// (authenticate, authorizePublish, authorizeSubscribe) and watched through its events (client, clientDisconnect,
// publish); connections are reported to the shared MqttConnectionManager.

import type { EventEmitter } from 'node:events';
import type net from 'node:net';
import { Aedes, type AedesOptions, type AuthenticateError, type Client } from 'aedes';
import { journal } from '../../journal/recorder.ts';
import type { Mock } from '../../mocks/types.ts';
import type { CloseReason } from '../../contract/protocols.ts';
import { findUser, mayPublish, maySubscribe, type MqttUser } from './auth.ts';
import { activeCaps, ConnectionSlots, isAnyFull, takeSlots } from './connection-limit.ts';
import { disconnectClient } from './disconnect.ts';
import { createMqttJournal } from './journal.ts';
import { boundPort } from './listen.ts';
import type { MqttConnectionManager, MqttSession } from './manager.ts';
import { createOnPublish } from './on-publish.ts';
import { CONNACK_BAD_USERNAME_OR_PASSWORD, CONNACK_IDENTIFIER_REJECTED, CONNACK_SERVER_UNAVAILABLE } from './return-codes.ts';
import { scheduleMessages, type BrokerPublish } from './schedule.ts';
import { startBridge, type MqttBridge } from './bridge.ts';

export interface MqttBroker {
  readonly mockId: string;
  readonly port: number;
  readonly authEnabled: boolean;
  /** Disconnects every client (queued packets flushed first), then closes the broker and its listener. */
  close(reason: CloseReason): Promise<void>;
}

/** What the broker learnt about a client while it connected. */
interface ClientInfo {
  username?: string;
  user?: MqttUser;
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
): Promise<MqttBroker> {
  const spec = mock.mqtt!;
  // `--max-connections` (shared by every broker of the worker) and this mock's `maxConnections`.
  const caps = activeCaps(workerSlots, new ConnectionSlots(spec.maxConnections ?? 0));
  // 0 = the protocol's own limit, which mqtt-packet already enforces: no check at all.
  const maxPayload = spec.maxMessageSize ?? 0;
  const topics = spec.topics ?? [];
  const authEnabled = spec.auth?.enabled === true;
  const port = boundPort(server);
  const clients = new WeakMap<Client, ClientInfo>();
  const live = new WeakMap<Client, MqttSession>();
  const entries = createMqttJournal(mock.id, topics, spec.proxy !== undefined);
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
      // A full cap refuses before credentials are checked: CONNACK 3 "server unavailable" (MQTT 3.1.1 §3.2.2.3).
      if (caps && isAnyFull(caps)) return done(refusal(CONNACK_SERVER_UNAVAILABLE, 'server unavailable'), null);
      let info: ClientInfo = { username };
      if (authEnabled) {
        const user = findUser(spec.auth, username, password);
        // CONNACK 4 "bad user name or password" (MQTT 3.1.1 §3.2.2.3), then aedes closes the connection.
        if (!user) return done(refusal(CONNACK_BAD_USERNAME_OR_PASSWORD, 'bad user name or password'), null);
        info = { username, user };
      }
      if (caps && !takeSlots(caps, client.conn as net.Socket)) return done(refusal(CONNACK_SERVER_UNAVAILABLE, 'server unavailable'), null);
      clients.set(client, info);
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      if (client && isSystemTopic(packet.topic)) return done(new Error('$SYS/ topics are reserved'));
      // An oversized PUBLISH is dropped and its client disconnected, as a denied one is (README "Limits").
      if (client && maxPayload > 0 && packet.payload.length > maxPayload) return done(new Error('message too large'));
      // A denied PUBLISH is dropped and, by failing the packet, aedes disconnects the client (contract §6).
      if (client && !mayPublish(clients.get(client)?.user, packet.topic)) return done(new Error('publish not authorized'));
      // Journaled here rather than on 'publish': aedes delivers before it emits 'publish', and the `in` entry of a
      // PUBLISH should come before its deliveries (§12). Broker publishes have no client and are never `in`.
      if (client && journal.enabled) entries.received(client, packet);
      done(null);
    },
    authorizeForward(client, packet) {
      // Called once per delivery to a subscribed client (after aedes's dedupe), the broker's own publishes included.
      if (journal.enabled && !isSystemTopic(packet.topic)) entries.delivered(client, packet);
      return packet;
    },
    authorizeSubscribe(client, sub, done) {
      // A null subscription makes aedes answer SUBACK 0x80 for that filter (MQTT 3.1.1 §3.9.3).
      done(null, maySubscribe(clients.get(client)?.user, sub.topic) ? sub : null);
    },
  };
  const broker = await Aedes.createBroker(options);

  const publish: BrokerPublish = ({ topic, payload, qos, retain }) => {
    const packet = { cmd: 'publish' as const, topic, payload: Buffer.from(payload), qos, retain, dup: false };
    broker.publish(packet, () => undefined);
  };
  const onPublish = createOnPublish(topics, publish);
  const bridge: MqttBridge | undefined = spec.proxy ? await startBridge(mock.id, spec.proxy, publish) : undefined;

  broker.on('client', (client) => {
    const info = clients.get(client) ?? {};
    const session = manager.open({
      clientId: client.id,
      mockId: mock.id,
      port,
      protocolVersion: client.version,
      username: info.username,
      remoteAddr: remoteAddrOf(client.conn as net.Socket),
      subscriptions: () => Object.keys((client as AedesClient).subscriptions),
    }, () => disconnectClient(client));
    live.set(client, session);
  });
  broker.on('clientDisconnect', (client) => {
    const session = live.get(client);
    if (session) manager.gone(session);
  });
  broker.on('publish', (packet, client) => {
    // Only client PUBLISHes: the broker's own publishes (client null) never reach onPublish, so nothing loops.
    if (client && !isSystemTopic(packet.topic)) {
      onPublish({ topic: packet.topic, payload: packet.payload as Buffer, qos: packet.qos, clientId: client.id });
      bridge?.forward({ topic: packet.topic, payload: packet.payload as Buffer, qos: packet.qos, retain: packet.retain });
    }
  });
  // Without a listener an aedes 'error' (e.g. from persistence) would throw and take the worker down.
  (broker as EventEmitter).on('error', (err: Error) => console.error(`mqtt broker ${mock.id}: ${err.message}`));

  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  server.on('error', (err) => console.error(`mqtt listener ${mock.id}: ${err.message}`));

  const stopSchedule = scheduleMessages(topics, publish);

  let stopping: Promise<void> | undefined;
  const stop = async (reason: CloseReason) => {
    stopSchedule();
    const bridgeClosed = bridge?.close();
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
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
    authEnabled,
    close: (reason) => (stopping ??= stop(reason)),
  };
}
