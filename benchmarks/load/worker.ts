// Entry of one load-generator thread. The pool tells it which generator to open and when to start, begin measuring
// and stop; it answers with its Recorder's figures and its event-loop utilisation over the measured window (near 1
// means this thread, not the server, may be what limits throughput).

import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { Recorder, type Load, type OpenLoad, type Share } from './recorder.ts';

export type GeneratorKind = 'http' | 'sse' | 'websocket' | 'mqtt' | 'grpc-unary' | 'grpc-stream' | 'https' | 'https-handshake';

export type PoolMessage =
  | { type: 'open'; kind: GeneratorKind; config: unknown; share: Share }
  | { type: 'start' | 'measure' | 'stop' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; ops: number; errors: number; seconds: number; histogram: unknown; elu: number; total: number };

const MODULES: Record<GeneratorKind, () => Promise<{ openLoad: OpenLoad<any> }>> = {
  http: () => import('./http.ts'),
  sse: () => import('./sse.ts'),
  websocket: () => import('./websocket.ts'),
  mqtt: () => import('./mqtt.ts'),
  'grpc-unary': () => import('./grpc.ts').then((m) => ({ openLoad: m.openUnaryLoad })),
  'grpc-stream': () => import('./grpc.ts').then((m) => ({ openLoad: m.openStreamLoad })),
  https: () => import('./https.ts').then((m) => ({ openLoad: m.openKeepAliveLoad })),
  'https-handshake': () => import('./https.ts').then((m) => ({ openLoad: m.openHandshakeLoad })),
};

const port = parentPort!;
let rec = new Recorder();
let load: Load | undefined;
let elu = performance.eventLoopUtilization();

const reply = (message: WorkerReply) => port.postMessage(message);

port.on('message', (message: PoolMessage) => {
  void handle(message).catch((err: Error) => reply({ type: 'failed', message: err.message }));
});

async function handle(message: PoolMessage): Promise<void> {
  switch (message.type) {
    case 'open': {
      rec = new Recorder();
      const { openLoad } = await MODULES[message.kind]();
      load = await openLoad(message.config, message.share, rec);
      return reply({ type: 'ready' });
    }
    case 'start':
      return load?.start();
    case 'measure':
      elu = performance.eventLoopUtilization();
      return rec.begin();
    case 'stop': {
      rec.end();
      const used = performance.eventLoopUtilization(elu).utilization;
      await load?.stop();
      load = undefined;
      return reply({ type: 'result', ops: rec.ops, errors: rec.errors, seconds: rec.seconds, histogram: rec.histogram, elu: used, total: rec.total });
    }
  }
}
