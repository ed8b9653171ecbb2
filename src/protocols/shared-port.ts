// Binding a port that several pool members serve at once (README "Workers"). Linux lets sockets that all set
// SO_REUSEPORT share a port, and the kernel spreads new connections over them; Node >= 22.12 exposes it as
// `listen({ reusePort: true })`. The first member checks with a plain, exclusive bind that nobody else (another
// mockd, another program of the same user) already holds the port, since a sharable bind would silently join them.

import net from 'node:net';
import type { PortShare } from '../contract/worker-api.ts';

/** Listens on host:port; `share` unset is a plain bind, as with one member. Rejects with the bind error. */
export async function listenOn(server: net.Server, host: string, port: number, share?: PortShare): Promise<void> {
  if (share === 'first' && port !== 0) await probeFree(host, port);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true, ...(share ? { reusePort: true } : {}) }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function probeFree(host: string, port: number): Promise<void> {
  const probe = net.createServer();
  return new Promise((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
