// A server-side MQTT 3.1.1 disconnect: the protocol has no server DISCONNECT packet, so the goodbye is closing the
// TCP connection. Contract §6/§9.4 want queued PUBLISH and PUBACK packets flushed first, so the socket is ended
// (which writes out its buffer, then sends FIN) before aedes tears the client down.

import { once } from 'node:events';
import type { Socket } from 'node:net';
import type { Client } from 'aedes';

/** How long a slow reader may take to drain its queued packets before the socket is dropped. */
const FLUSH_TIMEOUT_MS = 1000;

/** Resolves once the client's queued packets are written and its connection is closed. */
export async function disconnectClient(client: Client): Promise<void> {
  // aedes hands deliveries to the socket one setImmediate after routing them (lib/client.js deliver0/deliverQoS).
  await new Promise((resolve) => setImmediate(resolve));
  const conn = client.conn as Socket;
  if (!conn.destroyed && !conn.writableEnded) {
    const flushed = once(conn, 'finish', { signal: AbortSignal.timeout(FLUSH_TIMEOUT_MS) }).catch(() => undefined);
    conn.end();
    await flushed;
  }
  await new Promise<void>((resolve) => client.close(() => resolve()));
}
