// Real upstreams on loopback for the record-and-replay tests (issue 21), and clients that note when each thing
// arrived, so recorded gaps can be compared with replayed ones.

import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import { deferred, fetchWithTimeout, nextEvent, within } from '../helpers/wait.ts';

type Ctx = { after(fn: () => unknown): void };

/** Runs a close that reports through a callback, bounded. */
async function closedWithin(close: (done: () => void) => void, what: string): Promise<void> {
  const closed = deferred<void>();
  close(() => closed.resolve());
  await within(closed.promise, what);
}

export interface HttpUpstream {
  url: string;
  server: Server;
  /** Authorization headers the upstream received. */
  authorizations: string[];
  stop(): Promise<void>;
}

/** Gaps of the upstream's SSE route, in ms before each of its three events. */
export const SSE_GAPS = [60, 150, 90];

/** A node:http service with JSON routes, a counter whose answers differ, a POST echo and an SSE route. */
export async function startHttpUpstream(t: Ctx): Promise<HttpUpstream> {
  const authorizations: string[] = [];
  let count = 0;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/users') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes', 'set-cookie': 'sid=secret' });
      res.end(JSON.stringify({ users: ['ada', 'alan'], q: url.searchParams.get('q') }));
    } else if (url.pathname === '/api/count') {
      count++;
      res.writeHead(count === 1 ? 200 : 201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ n: count }));
    } else if (url.pathname === '/api/echo' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(202, { 'content-type': 'text/plain' });
        res.end(`got ${Buffer.concat(chunks).toString()}`);
      });
    } else if (url.pathname === '/api/feed') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      let i = 0;
      const next = () => {
        if (i === SSE_GAPS.length) return res.end();
        const timer = setTimeout(() => {
          i++;
          res.write(`event:tick\nid:${i}\ndata:{"n":${i}}\n\n`);
          next();
        }, SSE_GAPS[i]);
        res.once('close', () => clearTimeout(timer));
      };
      next();
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"nope"}');
    }
  });
  server.listen(0, '127.0.0.1');
  await nextEvent(server, 'listening', 'the HTTP upstream to listen');
  const stop = async () => {
    if (!server.listening) return;
    server.closeAllConnections();
    await closedWithin((done) => server.close(() => done()), 'the HTTP upstream to stop');
  };
  t.after(stop);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, authorizations, stop };
}

export interface TimedEvent {
  type: string;
  id?: string;
  data: string;
  at: number;
}

/** Reads an event stream to its end, noting each event's arrival time (ms since the request started). */
export async function readEventStream(url: string, headers: Record<string, string> = {}): Promise<TimedEvent[]> {
  const started = performance.now();
  const res = await fetchWithTimeout(url, { headers });
  const events: TimedEvent[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  const read = async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event: TimedEvent = { type: 'message', data: '', at: performance.now() - started };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          const c = line.indexOf(':');
          const [field, value] = c === -1 ? [line, ''] : [line.slice(0, c), line.slice(c + 1).replace(/^ /, '')];
          if (field === 'event') event.type = value;
          else if (field === 'id') event.id = value;
          else if (field === 'data') data.push(value);
        }
        if (data.length === 0) continue;
        event.data = data.join('\n');
        events.push(event);
      }
    }
  };
  await within(read(), `the event stream ${url} to end`, 10_000);
  return events;
}

/** Gaps between consecutive arrivals (the first from the request's start). */
export function gapsOf(times: readonly number[]): number[] {
  return times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]!));
}

/** Within 20 % or 20 ms of the recorded gap, whichever is looser (issue 21). */
export function assertGapsClose(replayed: readonly number[], recorded: readonly number[], what: string): void {
  if (replayed.length !== recorded.length) throw new Error(`${what}: ${replayed.length} gaps, recorded ${recorded.length}`);
  replayed.forEach((g, i) => {
    const want = recorded[i]!;
    const slack = Math.max(20, want * 0.2);
    if (Math.abs(g - want) > slack) throw new Error(`${what}: gap ${i} is ${g.toFixed(1)} ms, recorded ${want.toFixed(1)} ms (±${slack.toFixed(1)})`);
  });
}

export interface WsUpstream {
  url: string;
  wss: WebSocketServer;
  /** Close codes the upstream received from its clients, in order. */
  closes: number[];
  /** Authorization headers of the upgrades the upstream accepted. */
  authorizations: string[];
  stop(): Promise<void>;
}

/** Delays of the upstream's timer pushes after a connection opens. */
export const WS_PUSHES = [120, 260];

/**
 * A `ws` server: greets on connect, answers each text message with `echo:<text>` after 30 ms, echoes binary frames,
 * pushes `tick 1` and `tick 2` on a timer, and closes with 4001 when told `bye`.
 */
export async function startWsUpstream(t: Ctx): Promise<WsUpstream> {
  const closes: number[] = [];
  const authorizations: string[] = [];
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await nextEvent(wss, 'listening', 'the ws upstream to listen');
  wss.on('connection', (ws, req) => {
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    ws.send('hello');
    const timers = WS_PUSHES.map((ms, i) => setTimeout(() => ws.readyState === WebSocket.OPEN && ws.send(`tick ${i + 1}`), ms));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.send(data, { binary: true });
      const text = data.toString();
      if (text === 'bye') return ws.close(4001, 'upstream says bye');
      setTimeout(() => ws.readyState === WebSocket.OPEN && ws.send(`echo:${text}`), 30);
    });
    ws.on('close', (code) => {
      closes.push(code);
      timers.forEach(clearTimeout);
    });
  });
  const stop = async () => {
    for (const c of wss.clients) c.terminate();
    await closedWithin((done) => wss.close(() => done()), 'the ws upstream to stop');
  };
  t.after(stop);
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, wss, closes, authorizations, stop };
}

export interface MqttUpstream {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A bare aedes broker on loopback. */
export async function startMqttUpstream(t: Ctx): Promise<MqttUpstream> {
  const { Aedes } = await import('aedes');
  const net = await import('node:net');
  const broker = await Aedes.createBroker();
  const server = net.createServer((socket) => broker.handle(socket));
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await nextEvent(server, 'listening', 'the MQTT upstream to listen');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of sockets) s.destroy();
    await closedWithin((done) => broker.close(() => done()), 'the MQTT upstream broker to close');
    await closedWithin((done) => server.close(() => done()), 'the MQTT upstream listener to close');
  };
  t.after(stop);
  const port = (server.address() as AddressInfo).port;
  return { url: `mqtt://127.0.0.1:${port}`, port, stop };
}

/** Gaps between consecutive journal entries, as recorded (their timestamps). */
export function journalGaps(entries: readonly { timestamp: string }[]): number[] {
  return entries.slice(1).map((e, i) => Date.parse(e.timestamp) - Date.parse(entries[i]!.timestamp));
}
