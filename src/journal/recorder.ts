// The journal inside one worker (contract §12). Hosts call `journal.http(...)`, `journal.websocket(...)` and so on;
// recording is a push into a ring, never a cross-thread call. Ids come from a counter in a SharedArrayBuffer that
// the coordinator hands every worker, so `req-<n>` increases across all workers and survives worker restarts.
// When the coordinator has a waiter (`POST /requests/wait`) or a live subscriber, entries are also streamed to it
// in one message per tick over the worker's event port.

import { isUtf8 } from 'node:buffer';
import type { MessagePort } from 'node:worker_threads';
import { Ring } from './ring.ts';
import { matchesFilter, type StoredEntry } from './filter.ts';
import type { GrpcBlock, JournalEntry, JournalFilter, MqttBlock, SseBlock } from './types.ts';
import { threadLog } from '../util/logger.ts';
import { requestLogLine } from './log-line.ts';

export const MAX_BODY_BYTES = 64 * 1024;

interface Capped {
  text: string;
  truncated: boolean;
}

/** Text up to 64 KiB of UTF-8; binary (or invalid UTF-8 when asked) as base64 of the first 64 KiB. */
export function capText(value: string | Buffer | Uint8Array): Capped {
  if (typeof value === 'string') {
    if (value.length * 3 <= MAX_BODY_BYTES || Buffer.byteLength(value) <= MAX_BODY_BYTES) return { text: value, truncated: false };
    return { text: Buffer.from(value).subarray(0, MAX_BODY_BYTES).toString('utf8'), truncated: true };
  }
  const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return { text: buf.subarray(0, MAX_BODY_BYTES).toString('utf8'), truncated: buf.length > MAX_BODY_BYTES };
}

function capBase64(value: Buffer | Uint8Array): Capped {
  const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return { text: buf.subarray(0, MAX_BODY_BYTES).toString('base64'), truncated: buf.length > MAX_BODY_BYTES };
}

function firstValues(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** What the journal keeps of a TLS connection: that it was TLS, and the client's CN. */
type TlsMark = { tls?: { clientCN?: string } };

type HttpRecord = TlsMark & {
  mockId?: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  statusCode: number;
  durationMs: number;
  nearMisses?: unknown[];
  /** An HTTP fault that broke or replaced the answer (README "Faults and chaos"). */
  fault?: string;
  proxied?: boolean;
  responseHeaders?: Record<string, string | string[] | undefined>;
  responseBody?: string | Buffer;
};
type WsRecord = TlsMark & { proxied?: boolean; mockId: string; path: string; connectionId: string; direction: 'in' | 'out'; messageType: 'text' | 'binary'; data: string | Buffer; valid?: boolean; reason?: string };
type SseRecord = TlsMark & { proxied?: boolean; mockId: string; path: string } & Omit<SseBlock, 'data'> & { data?: string };
type MqttRecord = TlsMark & { proxied?: boolean; mockId: string; matched: boolean } & Omit<MqttBlock, 'payload' | 'payloadEncoding'> & { payload: Buffer };
type GrpcRecord = TlsMark & { proxied?: boolean; mockId?: string; matched: boolean } & GrpcBlock;

/**
 * What the ring holds: the id number, the time, the fields filters look at first, and the caller's own record
 * object. The JSON entry is built only when someone reads it, so recording costs one small object and a counter
 * increment on the request path, and no copies of headers, queries or payloads.
 */
interface RawEntry {
  n: number;
  t: number;
  protocol: JournalEntry['protocol'];
  mockId: string | undefined;
  matched: boolean;
  r: HttpRecord | WsRecord | SseRecord | MqttRecord | GrpcRecord;
}

let lastSource: Buffer | undefined;
let lastCopy: Buffer | undefined;

/**
 * A payload is copied (and cut to 64 KiB) when recorded: a Buffer may be a view of a larger socket chunk. A broker
 * hands the same payload Buffer to every delivery of one PUBLISH, so the latest copy is reused for it.
 */
function keepBuffer(buf: Buffer): Buffer {
  if (buf === lastSource) return lastCopy!;
  lastSource = buf;
  lastCopy = Buffer.from(buf.length > MAX_BODY_BYTES ? buf.subarray(0, MAX_BODY_BYTES + 1) : buf);
  return lastCopy;
}

/** Long text is cut when recorded (to a little over 64 KiB, so reading still sees it was longer). */
function keepText(text: string): string {
  if (text.length * 3 <= MAX_BODY_BYTES || Buffer.byteLength(text) <= MAX_BODY_BYTES) return text;
  return Buffer.from(text).subarray(0, MAX_BODY_BYTES + 4).toString('utf8');
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

function materialize(raw: RawEntry): StoredEntry {
  const e: StoredEntry = { id: `req-${raw.n}`, timestamp: iso(raw.t), protocol: raw.protocol, matched: raw.matched };
  if (raw.mockId !== undefined) e.mockId = raw.mockId;
  const tls = raw.r.tls;
  if (tls) {
    e.tls = true;
    if (tls.clientCN !== undefined) e.clientCN = tls.clientCN;
  }
  if ((raw.r as { proxied?: boolean }).proxied) e.proxied = true;
  switch (raw.protocol) {
    case 'http': {
      const r = raw.r as HttpRecord;
      const body = capText(r.body);
      const query: Record<string, string> = {};
      for (const [k, v] of r.query) if (!(k in query)) query[k] = v;
      e.http = { method: r.method, path: r.path, query, headers: firstValues(r.headers), body: body.text, statusCode: r.statusCode, durationMs: r.durationMs };
      if (r.nearMisses) e.http.nearMisses = r.nearMisses;
      if (r.fault !== undefined) e.http.fault = r.fault;
      if (body.truncated) e.bodyTruncated = true;
      if (r.responseHeaders !== undefined) e.http.responseHeaders = firstValues(r.responseHeaders);
      if (r.responseBody !== undefined) {
        const answer = capText(r.responseBody);
        e.http.responseBody = answer.text;
        if (answer.truncated) e.bodyTruncated = true;
      }
      break;
    }
    case 'websocket': {
      const r = raw.r as WsRecord;
      const data = r.messageType === 'binary' && typeof r.data !== 'string' ? capBase64(r.data) : capText(r.data);
      e.websocket = { connectionId: r.connectionId, direction: r.direction, messageType: r.messageType, data: data.text };
      if (r.valid !== undefined) e.websocket.valid = r.valid;
      if (r.reason !== undefined) e.websocket.reason = r.reason;
      if (r.proxied) e.websocket.path = r.path;
      e._path = r.path;
      if (data.truncated) e.bodyTruncated = true;
      break;
    }
    case 'sse': {
      const r = raw.r as SseRecord;
      const block: SseBlock = { connectionId: r.connectionId, kind: r.kind };
      if (r.eventType !== undefined) block.eventType = r.eventType;
      if (r.eventId !== undefined) block.eventId = r.eventId;
      if (r.data !== undefined) {
        const data = capText(r.data);
        block.data = data.text;
        if (data.truncated) e.bodyTruncated = true;
      }
      if (r.proxied) block.path = r.path;
      e.sse = block;
      e._path = r.path;
      break;
    }
    case 'mqtt': {
      const r = raw.r as MqttRecord;
      const utf8 = isUtf8(r.payload);
      const payload = utf8 ? capText(r.payload) : capBase64(r.payload);
      e.mqtt = { clientId: r.clientId, direction: r.direction, topic: r.topic, qos: r.qos, retain: r.retain, payload: payload.text };
      if (!utf8) e.mqtt.payloadEncoding = 'base64';
      if (r.valid !== undefined) e.mqtt.valid = r.valid;
      if (r.reason !== undefined) e.mqtt.reason = r.reason;
      if (payload.truncated) e.bodyTruncated = true;
      break;
    }
    case 'grpc': {
      const { mockId: _m, matched: _ok, tls: _tls, proxied: _p, ...block } = raw.r as GrpcRecord;
      if (block.body !== undefined) {
        const text = JSON.stringify(block.body);
        if (text !== undefined && Buffer.byteLength(text) > MAX_BODY_BYTES) {
          block.body = capText(text).text;
          e.bodyTruncated = true;
        }
      }
      e.grpc = block;
      break;
    }
  }
  return e;
}

export class Journal {
  #ring = new Ring<RawEntry>(0);
  #counter?: BigInt64Array;
  #localCounter = 0;
  #port?: MessagePort;
  #streaming = false;
  #batch: StoredEntry[] = [];
  /** Entries pushed out of the full ring (the oldest go first), for the metrics. */
  #dropped = 0;

  /** `--log-requests`: every entry is also logged, even with the ring off (`--journal-size 0`). */
  #logRequests = false;

  get enabled(): boolean {
    return this.#ring.capacity > 0 || this.#logRequests;
  }

  configure(options: { size: number; counter?: SharedArrayBuffer; port?: MessagePort; logRequests?: boolean }): void {
    this.#ring = new Ring(options.size);
    this.#logRequests = options.logRequests === true;
    this.#counter = options.counter ? new BigInt64Array(options.counter) : undefined;
    this.#port = options.port;
  }

  setStreaming(on: boolean): void {
    this.#streaming = on;
  }

  #push(protocol: JournalEntry['protocol'], mockId: string | undefined, matched: boolean, r: RawEntry['r']): void {
    const n = this.#counter ? Number(Atomics.add(this.#counter, 0, 1n)) + 1 : ++this.#localCounter;
    // Once the ring is full the oldest entry is refilled in place: at 10,000 entries every new object outlives the
    // young generation, so each one not allocated is one less copied out of it and marked by the old one.
    if (this.#ring.size === this.#ring.capacity && this.#ring.capacity > 0) this.#dropped++;
    let raw = this.#ring.evictee;
    if (raw) {
      raw.n = n;
      raw.t = Date.now();
      raw.protocol = protocol;
      raw.mockId = mockId;
      raw.matched = matched;
      raw.r = r;
    } else raw = { n, t: Date.now(), protocol, mockId, matched, r };
    this.#ring.push(raw);
    if (this.#logRequests) {
      const { msg, ...fields } = requestLogLine(materialize(raw));
      threadLog().info(fields, msg);
    }
    if (this.#streaming && this.#port) {
      if (this.#batch.length === 0) {
        setImmediate(() => {
          const batch = this.#batch;
          this.#batch = [];
          // Posted with the connection path, so the coordinator can apply the `path` filter to streamed entries.
          this.#port?.postMessage({ journal: batch });
        });
      }
      this.#batch.push(materialize(raw));
    }
  }

  http(r: HttpRecord): void {
    if (!this.enabled) return;
    r.body = keepText(r.body);
    this.#push('http', r.mockId, r.mockId !== undefined, r);
  }

  websocket(r: WsRecord): void {
    if (!this.enabled) return;
    r.data = typeof r.data === 'string' ? keepText(r.data) : keepBuffer(r.data);
    this.#push('websocket', r.mockId, true, r);
  }

  sse(r: SseRecord): void {
    if (!this.enabled) return;
    if (r.data !== undefined) r.data = keepText(r.data);
    this.#push('sse', r.mockId, true, r);
  }

  mqtt(r: MqttRecord): void {
    if (!this.enabled) return;
    r.payload = keepBuffer(r.payload);
    this.#push('mqtt', r.mockId, r.matched, r);
  }

  grpc(r: GrpcRecord): void {
    if (this.enabled) this.#push('grpc', r.mockId, r.matched, r);
  }

  query(filter: JournalFilter): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (const raw of this.#ring) {
      // The cheap checks run on the raw record; only candidates are built into entries.
      if (filter.since !== undefined && raw.n <= filter.since) continue;
      if (filter.protocol !== undefined && raw.protocol !== filter.protocol) continue;
      if (filter.mockId !== undefined && raw.mockId !== filter.mockId) continue;
      if (filter.matched !== undefined && raw.matched !== filter.matched) continue;
      const e = materialize(raw);
      if (matchesFilter(e, filter)) out.push(toPublic(e));
    }
    return out;
  }

  clear(): void {
    this.#ring.clear();
  }

  /** Entries held now, how many fit, and how many the full ring has dropped so far. */
  stats(): { entries: number; capacity: number; dropped: number } {
    return { entries: this.#ring.size, capacity: this.#ring.capacity, dropped: this.#dropped };
  }

  removeMock(mockId: string): number {
    return this.#ring.retain((e) => e.mockId !== mockId);
  }
}

export function toPublic(e: StoredEntry): JournalEntry {
  if (e._path === undefined) return e;
  const { _path, ...rest } = e;
  return rest;
}

/** The journal of this thread. */
export const journal = new Journal();
