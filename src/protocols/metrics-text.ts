// The mock port's `/__mockd/metrics` (issue 23): the counters live in every worker, so the whole `/metrics` text is
// put together by the coordinator. The http worker asks for it on its events port and waits, bounded, for the reply.

import type { MessagePort } from 'node:worker_threads';
import type { MetricsReply } from '../contract/metrics.ts';

const REPLY_TIMEOUT_MS = 5000;

let eventsPort: MessagePort | undefined;
let nextId = 0;
const waiting = new Map<number, (reply: MetricsReply) => void>();

/** serveWorker hands in the events port; replies arrive on it. */
export function useMetricsPort(port: MessagePort): void {
  eventsPort = port;
  port.on('message', (msg: MetricsReply) => {
    if (typeof msg?.metricsReply === 'number') waiting.get(msg.metricsReply)?.(msg);
  });
  // Listening must not keep the worker alive on its own.
  port.unref();
}

/** The Prometheus text of the whole mockd; rejects when the coordinator does not answer in time. */
export function requestMetricsText(): Promise<string> {
  const port = eventsPort;
  if (!port) return Promise.reject(new Error('metrics are not available in this worker'));
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the coordinator did not answer'));
    }, REPLY_TIMEOUT_MS);
    waiting.set(id, (reply) => {
      clearTimeout(timer);
      waiting.delete(id);
      if (reply.text !== undefined) resolve(reply.text);
      else reject(new Error(reply.error ?? 'no metrics'));
    });
    port.postMessage({ metricsRequest: id });
  });
}
