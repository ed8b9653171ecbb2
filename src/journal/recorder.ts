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

export class Journal {
  #ring = new Ring<StoredEntry>(0);
  #counter?: BigInt64Array;
  #localCounter = 0n;
  #port?: MessagePort;
  #streaming = false;
  #batch: StoredEntry[] = [];

  get enabled(): boolean {
    return this.#ring.capacity > 0;
  }

  configure(options: { size: number; counter?: SharedArrayBuffer; port?: MessagePort }): void {
    this.#ring = new Ring(options.size);
    this.#counter = options.counter ? new BigInt64Array(options.counter) : undefined;
    this.#port = options.port;
  }

  setStreaming(on: boolean): void {
    this.#streaming = on;
  }

  #nextId(): string {
    const n = this.#counter ? Atomics.add(this.#counter, 0, 1n) + 1n : ++this.#localCounter;
    return `req-${n}`;
  }

  #push(entry: StoredEntry): void {
    this.#ring.push(entry);
    if (this.#streaming && this.#port) {
      if (this.#batch.length === 0) {
        setImmediate(() => {
          const batch = this.#batch;
          this.#batch = [];
          // Posted with the connection path, so the coordinator can apply the `path` filter to streamed entries.
          this.#port?.postMessage({ journal: batch });
        });
      }
      this.#batch.push(entry);
    }
  }

  #base(protocol: JournalEntry['protocol'], mockId: string | undefined, matched: boolean): StoredEntry {
    const e: StoredEntry = { id: this.#nextId(), timestamp: new Date().toISOString(), protocol, matched };
    if (mockId !== undefined) e.mockId = mockId;
    return e;
  }

  http(r: {
    mockId?: string;
    method: string;
    path: string;
    query: URLSearchParams;
    headers: Record<string, string | string[] | undefined>;
    body: string;
    statusCode: number;
    durationMs: number;
    nearMisses?: unknown[];
  }): void {
    if (!this.enabled) return;
    const e = this.#base('http', r.mockId, r.mockId !== undefined);
    const body = capText(r.body);
    const query: Record<string, string> = {};
    for (const [k, v] of r.query) if (!(k in query)) query[k] = v;
    e.http = { method: r.method, path: r.path, query, headers: firstValues(r.headers), body: body.text, statusCode: r.statusCode, durationMs: r.durationMs };
    if (r.nearMisses) e.http.nearMisses = r.nearMisses;
    if (body.truncated) e.bodyTruncated = true;
    this.#push(e);
  }

  websocket(r: { mockId: string; path: string; connectionId: string; direction: 'in' | 'out'; messageType: 'text' | 'binary'; data: string | Buffer }): void {
    if (!this.enabled) return;
    const e = this.#base('websocket', r.mockId, true);
    const data = r.messageType === 'binary' && typeof r.data !== 'string' ? capBase64(r.data) : capText(r.data);
    e.websocket = { connectionId: r.connectionId, direction: r.direction, messageType: r.messageType, data: data.text };
    e._path = r.path;
    if (data.truncated) e.bodyTruncated = true;
    this.#push(e);
  }

  sse(r: { mockId: string; path: string } & Omit<SseBlock, 'data'> & { data?: string }): void {
    if (!this.enabled) return;
    const e = this.#base('sse', r.mockId, true);
    const block: SseBlock = { connectionId: r.connectionId, kind: r.kind };
    if (r.eventType !== undefined) block.eventType = r.eventType;
    if (r.eventId !== undefined) block.eventId = r.eventId;
    if (r.data !== undefined) {
      const data = capText(r.data);
      block.data = data.text;
      if (data.truncated) e.bodyTruncated = true;
    }
    e.sse = block;
    e._path = r.path;
    this.#push(e);
  }

  mqtt(r: { mockId: string; matched: boolean } & Omit<MqttBlock, 'payload' | 'payloadEncoding'> & { payload: Buffer }): void {
    if (!this.enabled) return;
    const e = this.#base('mqtt', r.mockId, r.matched);
    // Validated without decoding or allocating (node:buffer isUtf8), once per packet.
    const utf8 = isUtf8(r.payload);
    const payload = utf8 ? capText(r.payload) : capBase64(r.payload);
    e.mqtt = { clientId: r.clientId, direction: r.direction, topic: r.topic, qos: r.qos, retain: r.retain, payload: payload.text };
    if (!utf8) e.mqtt.payloadEncoding = 'base64';
    if (payload.truncated) e.bodyTruncated = true;
    this.#push(e);
  }

  grpc(r: { mockId?: string; matched: boolean } & GrpcBlock): void {
    if (!this.enabled) return;
    const { mockId, matched, ...block } = r;
    const e = this.#base('grpc', mockId, matched);
    if (block.body !== undefined) {
      const text = JSON.stringify(block.body);
      if (text !== undefined && Buffer.byteLength(text) > MAX_BODY_BYTES) {
        block.body = capText(text).text;
        e.bodyTruncated = true;
      }
    }
    e.grpc = block;
    this.#push(e);
  }

  query(filter: JournalFilter): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (const e of this.#ring) if (matchesFilter(e, filter)) out.push(toPublic(e));
    return out;
  }

  clear(): void {
    this.#ring.clear();
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
