// SSE load: each of this thread's streams GETs the event stream, counts events as they arrive (a blank line ends an
// event, contract §4; the first blank line ends the `retry: 3000` preamble), records request→first-event latency,
// and when the server ends the stream opens the next one on the same keep-alive socket.

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { OpenLoad } from './recorder.ts';

export interface SseLoadConfig {
  url: string;
  /** Events each stream should carry; a stream that ends short counts as an error. */
  events: number;
}

const LF = 0x0a;

/** Blank-line boundaries (a line feed right after a line feed) in `chunk`, given whether the last chunk ended in one. */
export function countBoundaries(chunk: Buffer, endedWithLf: boolean): number {
  let n = 0;
  for (let i = chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) {
    if (i === 0 ? endedWithLf : chunk[i - 1] === LF) n++;
  }
  return n;
}

export const openLoad: OpenLoad<SseLoadConfig> = async (config, share, rec) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: share.connections });
  const live = new Set<http.ClientRequest>();
  let running = false;

  const stream = () => {
    if (!running) return;
    const startedAt = performance.now();
    const req = http.get(config.url, { agent, headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        rec.error();
        res.resume();
        res.once('end', stream);
        return;
      }
      let boundaries = 0;
      let endedWithLf = false;
      res.on('data', (chunk: Buffer) => {
        const found = countBoundaries(chunk, endedWithLf);
        endedWithLf = chunk[chunk.length - 1] === LF;
        if (found === 0) return;
        const before = Math.max(0, boundaries - 1);
        boundaries += found;
        const events = boundaries - 1 - before;
        if (before === 0 && events > 0) rec.latencySince(startedAt);
        rec.count(events);
      });
      res.once('end', () => {
        live.delete(req);
        if (running && boundaries - 1 !== config.events) rec.error();
        stream();
      });
    });
    live.add(req);
    req.on('error', () => {
      live.delete(req);
      if (running) {
        rec.error();
        setImmediate(stream);
      }
    });
  };

  return {
    start() {
      running = true;
      for (let i = 0; i < share.connections; i++) stream();
    },
    async stop() {
      running = false;
      for (const req of live) req.destroy();
      agent.destroy();
    },
  };
};
