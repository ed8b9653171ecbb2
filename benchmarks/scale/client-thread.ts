// One thread of the scale client process: opens its share of idle WebSocket connections (a bounded number of
// handshakes at a time) and notes when each receives its close frame and with which code. The clients are bare
// sockets after a real RFC 6455 handshake, not `ws` objects: an idle client needs nothing more, they cost the shared
// CPU little while 10,000 closes arrive at once, and the time taken is the close frame's arrival itself (a `ws`
// client only reports the close once the TCP connection is gone). Times are epoch ms (timeOrigin + now), comparable
// across threads and with the trigger's start.

import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

export type ThreadCommand = { type: 'open'; url: string; count: number } | { type: 'collect'; deadline: number } | { type: 'close' };
export type ThreadReply =
  | { type: 'opened'; opened: number; failed: number; firstError?: string }
  | { type: 'closed'; times: number[]; codes: Record<string, number>; open: number };

const HANDSHAKES_AT_ONCE = 200;
const HANDSHAKE_TIMEOUT_MS = 30_000;
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_CLOSE = 0x8;
/** No status code in a close frame reads as 1005 (RFC 6455 §7.1.5); a connection gone without one as 1006. */
const NO_STATUS = 1005;
const ABNORMAL = 1006;

const port = parentPort!;
const sockets: Socket[] = [];
const closeTimes: number[] = [];
const codes: Record<string, number> = {};
let waiting = 0;
let onAllClosed: (() => void) | undefined;

const epochNow = () => performance.timeOrigin + performance.now();

function noteClose(code: number): void {
  closeTimes.push(epochNow());
  codes[code] = (codes[code] ?? 0) + 1;
  if (--waiting === 0) onAllClosed?.();
}

/** Watches one upgraded socket for the server's close frame, answers it (masked, as a client must) and ends. */
function watch(socket: Socket, head: Buffer): void {
  let done = false;
  const onData = (chunk: Buffer) => {
    if (done || chunk.length < 2 || (chunk[0]! & 0x0f) !== OP_CLOSE) return;
    done = true;
    const code = (chunk[1]! & 0x7f) >= 2 && chunk.length >= 4 ? chunk.readUInt16BE(2) : NO_STATUS;
    noteClose(code);
    // FIN + close, masked with a zero key (RFC 6455 §5.3 requires the mask bit, not a particular key).
    const reply = code === NO_STATUS ? Buffer.from([0x88, 0x80, 0, 0, 0, 0]) : Buffer.from([0x88, 0x82, 0, 0, 0, 0, code >> 8, code & 0xff]);
    socket.end(reply);
  };
  socket.on('data', onData);
  socket.on('error', () => undefined);
  socket.once('close', () => {
    if (!done) {
      done = true;
      noteClose(ABNORMAL);
    }
  });
  if (head.length > 0) onData(head);
}

function connect(url: URL): Promise<void> {
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      agent: false,
      timeout: HANDSHAKE_TIMEOUT_MS,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key },
    });
    req.on('upgrade', (res, socket, head) => {
      // The handshake timeout must not outlive the handshake: these connections are meant to sit idle.
      socket.setTimeout(0);
      if (res.headers['sec-websocket-accept'] !== accept) {
        socket.destroy();
        return reject(new Error('bad Sec-WebSocket-Accept'));
      }
      sockets.push(socket);
      waiting++;
      watch(socket, head);
      resolve();
    });
    req.on('response', (res) => {
      res.resume();
      reject(new Error(`upgrade answered ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error('handshake timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function open(url: string, count: number): Promise<ThreadReply> {
  const target = new URL(url);
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const lane = async () => {
    while (next < count) {
      next++;
      await connect(target).catch((err: Error) => {
        failed++;
        firstError ??= err.message;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(HANDSHAKES_AT_ONCE, count) }, lane));
  return { type: 'opened', opened: sockets.length, failed, ...(firstError ? { firstError } : {}) };
}

async function collect(deadline: number): Promise<ThreadReply> {
  if (waiting > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, deadline - epochNow()));
      onAllClosed = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  return { type: 'closed', times: closeTimes, codes, open: waiting };
}

port.on('message', (command: ThreadCommand) => {
  const reply = (r: ThreadReply) => port.postMessage(r);
  if (command.type === 'open') void open(command.url, command.count).then(reply);
  else if (command.type === 'collect') void collect(command.deadline).then(reply);
  else {
    for (const socket of sockets) socket.destroy();
    port.close();
  }
});
