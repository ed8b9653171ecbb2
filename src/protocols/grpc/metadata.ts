// A call's metadata in the two shapes mockd reads (contract §7 match and templating, §12 journal), each built only
// when something reads it.

import type { Metadata } from '@grpc/grpc-js';
import type { ServerCallLike } from './call-handle.ts';

/** Converted once per call, and only when a match or a template reads the metadata. */
const converted = new WeakMap<Metadata, Record<string, string[]>>();

/** Metadata as lowercase key → all values, binary values as base64: what `match.metadata` and templates read. */
export function metadataOf(call: ServerCallLike): Record<string, string[]> {
  let out = converted.get(call.metadata);
  if (out) return out;
  out = {};
  for (const [key, values] of Object.entries(call.metadata.toJSON())) {
    out[key] = values.map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('base64')));
  }
  converted.set(call.metadata, out);
  return out;
}

/**
 * The last `firstMetadataOf` result. Calls in a row usually carry the same metadata (one client's user-agent and
 * headers), so they share one frozen object: every journal `call` entry keeps its metadata for as long as the ring
 * holds it, and one object instead of thousands keeps those entries cheap for the garbage collector.
 */
let previousFirst: Readonly<Record<string, string>> = Object.freeze({});
let previousFirstSize = 0;

/** Metadata as key → first value (binary values as base64): what a journal `call` entry shows. Treat as read-only. */
export function firstMetadataOf(call: ServerCallLike): Readonly<Record<string, string>> {
  const map = call.metadata.getMap();
  let size = 0;
  let same = true;
  for (const key in map) {
    let value = map[key]!;
    if (typeof value !== 'string') map[key] = value = Buffer.from(value).toString('base64');
    if (same && previousFirst[key] !== value) same = false;
    size++;
  }
  if (same && size === previousFirstSize) return previousFirst;
  previousFirstSize = size;
  previousFirst = Object.freeze(map as Record<string, string>);
  return previousFirst;
}
