// Soak test (not in the default suite): mixed long-lived connections held through repeated mock updates.
//
//   node --import tsx benchmarks/soak.ts [--connections 1000] [--updates 100]
//
// Half of the clients of each protocol use a mock that never changes and keep exchanging messages; the other half
// use a mock that is updated again and again, and reconnect each time they are disconnected. At the end it reports
// lost messages on the unchanged mocks (must be 0), connection records left behind after every client has gone
// (must be 0), and the mockd process's memory before and after. Traffic goes to 127.0.0.1 only; every wait is
// bounded. Needs `ulimit -n` above the connection count.

import { spawn } from 'node:child_process';
import { once, type EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROTO = join(ROOT, 'test/fixtures/grpc/helloworld.proto');
const { values } = parseArgs({ options: { connections: { type: 'string', default: '1000' }, updates: { type: 'string', default: '100' } } });
const TOTAL = Number(values.connections);
const UPDATES = Number(values.updates);
const PER_PROTOCOL = Math.floor(TOTAL / 4);
const DEADLINE = Date.now() + 10 * 60_000;

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

async function api(admin: string, path: string, method = 'GET', body?: unknown): Promise<any> {
  const res = await fetch(admin + path, { method, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/mockd.js'), 'start', '--port', '0', '--admin-port', '0', '--no-persist', '--max-sse-streams', String(PER_PROTOCOL + 10), '--journal-size', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  while (!/Admin API: (\S+)/.test(out)) {
    await once(child.stdout, 'data');
    if (Date.now() > DEADLINE) throw new Error('mockd did not start');
  }
  const mockUrl = /Mock server: (\S+)/.exec(out)![1]!;
  const admin = /Admin API: (\S+)/.exec(out)![1]!;
  const wsUrl = mockUrl.replace('http', 'ws');
  try {
    const grpcSpec = (port: number, message: string) => ({ port, protoFile: PROTO, services: { 'helloworld.Greeter': { methods: { Chat: { responses: [{ message }] } } } } });
    await api(admin, '/mocks', 'POST', { id: 'ws-stable', websocket: { path: '/stable' } });
    await api(admin, '/mocks', 'POST', { id: 'ws-churn', websocket: { path: '/churn' } });
    await api(admin, '/mocks', 'POST', { id: 'sse-stable', http: { matcher: { path: '/sse-stable' }, sse: { generator: { type: 'sequence' }, timing: { fixedDelay: 500 } } } });
    await api(admin, '/mocks', 'POST', { id: 'sse-churn', http: { matcher: { path: '/sse-churn' }, sse: { generator: { type: 'sequence' }, timing: { fixedDelay: 500 } } } });
    const mqStable = (await api(admin, '/mocks', 'POST', { id: 'mqtt-stable', mqtt: { port: 0, topics: [{ topic: 'soak/#' }] } })).mock.mqtt.port;
    const mqChurn = (await api(admin, '/mocks', 'POST', { id: 'mqtt-churn', mqtt: { port: 0, topics: [{ topic: 'soak/#' }] } })).mock.mqtt.port;
    const grStable = (await api(admin, '/mocks', 'POST', { id: 'grpc-stable', grpc: grpcSpec(0, 'stable') })).mock.grpc.port;
    const grChurn = (await api(admin, '/mocks', 'POST', { id: 'grpc-churn', grpc: grpcSpec(0, 'churn') })).mock.grpc.port;

    let stopping = false;
    const closers: (() => void)[] = [];
    const lost = { websocket: 0, sse: 0, mqtt: 0, grpc: 0 };
    const sent = { websocket: 0, sse: 0, mqtt: 0, grpc: 0 };
    const reconnects = { websocket: 0, sse: 0, mqtt: 0, grpc: 0 };

    // WebSocket: stable clients send numbered messages and expect each echo back, in order.
    const openWs = (path: string, stable: boolean): Promise<void> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`${wsUrl}${path}`);
        let expected = 0;
        let next = 0;
        let timer: NodeJS.Timeout | undefined;
        ws.on('open', () => {
          resolve();
          if (stable) timer = setInterval(() => {
            ws.send(String(next++));
            sent.websocket++;
          }, 1000);
        });
        ws.on('message', (d) => {
          if (!stable) return;
          if (Number(String(d)) !== expected) lost.websocket++;
          expected = Number(String(d)) + 1;
        });
        ws.on('close', () => {
          clearInterval(timer);
          if (stable && !stopping) lost.websocket += 1_000_000;
          if (!stable && !stopping) {
            reconnects.websocket++;
            void openWs(path, false);
          }
        });
        ws.on('error', () => undefined);
        closers.push(() => ws.close());
      });

    // SSE: stable streams must see a gap-free sequence.
    const openSse = async (path: string, stable: boolean): Promise<void> => {
      const ac = new AbortController();
      closers.push(() => ac.abort());
      const res = await fetch(`${mockUrl}${path}`, { signal: ac.signal });
      void (async () => {
        let last = 0;
        let buf = '';
        try {
          for await (const chunk of res.body!) {
            buf += Buffer.from(chunk).toString();
            for (const m of buf.matchAll(/data:(\d+)\n/g)) {
              const n = Number(m[1]);
              if (stable && last !== 0 && n !== last + 1) lost.sse++;
              last = n;
              sent.sse++;
            }
            buf = buf.slice(buf.lastIndexOf('\n') + 1);
          }
        } catch {
          // aborted at the end
        }
        if (stable && !stopping) lost.sse += 1_000_000;
        if (!stable && !stopping) {
          reconnects.sse++;
          void openSse(path, false);
        }
      })();
    };

    // MQTT: each stable client publishes QoS 1 to its own topic and must receive every message back.
    const openMqtt = async (port: number, stable: boolean, i: number): Promise<void> => {
      const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, protocolVersion: 4, clientId: `soak-${stable ? 's' : 'c'}-${i}-${Date.now()}` });
      closers.push(() => c.end(true));
      c.on('error', () => undefined);
      await once(c as unknown as EventEmitter, 'connect', { signal: AbortSignal.timeout(30_000) });
      if (stable) {
        const topic = `soak/${i}`;
        await c.subscribeAsync(topic, { qos: 1 });
        let expected = 0;
        let next = 0;
        c.on('message', (_t, p) => {
          if (Number(String(p)) !== expected) lost.mqtt++;
          expected = Number(String(p)) + 1;
        });
        const timer = setInterval(() => {
          c.publish(topic, String(next++), { qos: 1 });
          sent.mqtt++;
        }, 1000);
        c.on('close', () => {
          clearInterval(timer);
          if (!stopping) lost.mqtt += 1_000_000;
        });
      } else {
        c.on('close', () => {
          if (stopping) return;
          reconnects.mqtt++;
          const retry = (): void => {
            if (!stopping) void openMqtt(port, false, i).catch(() => setTimeout(retry, 200));
          };
          retry();
        });
      }
    };

    // gRPC: bidi streams; stable ones send a message a second and expect a reply to each.
    const Greeter = (grpc.loadPackageDefinition(loadSync(PROTO)) as any).helloworld.Greeter;
    const openGrpc = (port: number, stable: boolean): void => {
      const client = new Greeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      const call = client.Chat();
      let pending = 0;
      const timer = stable ? setInterval(() => {
        pending++;
        sent.grpc++;
        call.write({ name: 'x' });
      }, 1000) : undefined;
      call.on('data', () => (pending = Math.max(0, pending - 1)));
      call.on('error', () => {
        clearInterval(timer);
        client.close();
        if (stable && !stopping) lost.grpc += 1_000_000;
        if (!stable && !stopping) {
          reconnects.grpc++;
          setTimeout(() => openGrpc(port, false), 200);
        }
      });
      call.on('end', () => clearInterval(timer));
      closers.push(() => {
        lost.grpc += stable ? Math.max(0, pending - 1) : 0;
        clearInterval(timer);
        call.cancel();
        client.close();
      });
    };

    const half = Math.floor(PER_PROTOCOL / 2);
    for (let i = 0; i < half; i++) {
      await Promise.all([openWs('/stable', true), openWs('/churn', false), openSse('/sse-stable', true), openSse('/sse-churn', false), openMqtt(mqStable, true, i), openMqtt(mqChurn, false, i)]);
      openGrpc(grStable, true);
      openGrpc(grChurn, false);
    }
    process.stderr.write(`soak: ${half * 8} connections open; updating churn mocks ${UPDATES} times\n`);
    // Memory is compared from here, with every connection open, so growth means what the updates left behind.
    const rssStart = rssKb(child.pid!);
    const updateMs: number[] = [];
    for (let u = 0; u < UPDATES && Date.now() < DEADLINE; u++) {
      const t0 = performance.now();
      await api(admin, '/mocks/ws-churn', 'PATCH', { name: `u${u}` });
      await api(admin, '/mocks/sse-churn', 'PATCH', { name: `u${u}` });
      await api(admin, '/mocks/mqtt-churn', 'PATCH', { name: `u${u}` });
      await api(admin, '/mocks/grpc-churn', 'PUT', { grpc: grpcSpec(grChurn, `churn ${u}`) });
      updateMs.push(performance.now() - t0);
      // Paced, so stable clients keep exchanging messages across the whole run (a round every ~600 ms).
      await new Promise((r) => setTimeout(r, 600));
      if (u % 10 === 9) process.stderr.write(`soak: ${u + 1} updates, rss ${(rssKb(child.pid!) / 1024).toFixed(0)} MB\n`);
    }
    const rssEnd = rssKb(child.pid!);
    stopping = true;
    for (const close of closers) close();
    // Records must drain to zero once every client has gone.
    let leaked = -1;
    for (let i = 0; i < 100; i++) {
      const [ws, sse, mq, gr] = await Promise.all([
        api(admin, '/websocket/stats'), api(admin, '/sse/stats'), api(admin, '/mqtt-connections/stats'), api(admin, '/grpc/stats'),
      ]);
      leaked = ws.activeConnections + sse.activeConnections + mq.connectedClients + gr.activeStreams;
      if (leaked === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    updateMs.sort((a, b) => a - b);
    const report = {
      connections: half * 8,
      updates: UPDATES,
      messagesChecked: sent,
      lostOnUnchangedMocks: lost,
      reconnectsOnChangedMocks: reconnects,
      leakedConnectionRecords: leaked,
      updateRoundMs: { p50: updateMs[Math.floor(updateMs.length / 2)], max: updateMs.at(-1) },
      rssMb: { start: +(rssStart / 1024).toFixed(1), end: +(rssEnd / 1024).toFixed(1), growth: +((rssEnd - rssStart) / 1024).toFixed(1) },
    };
    console.log(JSON.stringify(report, null, 2));
    const ok = Object.values(lost).every((n) => n === 0) && leaked === 0;
    process.exitCode = ok ? 0 : 1;
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

await main();
