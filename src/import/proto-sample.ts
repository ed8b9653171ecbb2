// A message valid for a protobuf type, as proto-loader JSON (field names as written, 64-bit integers as strings,
// enums by name, bytes as base64): every field set, the first member of each oneof, one entry per map, two items per
// repeated field. Values come from a seeded generator, so the same seed gives the same messages.

import protobuf from 'protobufjs';

const MAX_DEPTH = 4;

export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

function scalar(type: string, name: string, rand: () => number, resolved: protobuf.ReflectionObject | null): unknown {
  if (resolved instanceof protobuf.Enum) {
    const names = Object.keys(resolved.values);
    // The zero value is the "unspecified" default by convention; a mock answers with a meaningful one when it can.
    return names[names.length > 1 ? 1 + Math.floor(rand() * (names.length - 1)) : 0];
  }
  switch (type) {
    case 'double':
    case 'float':
      return Math.round(rand() * 10000) / 100;
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'uint32':
    case 'fixed32':
      return Math.floor(rand() * 2000);
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint64':
    case 'fixed64':
      return String(Math.floor(rand() * 1e9));
    case 'bool':
      return rand() < 0.5;
    case 'bytes':
      return Buffer.from(`${name}-${Math.floor(rand() * 1000)}`).toString('base64');
    default:
      return `${WORDS[Math.floor(rand() * WORDS.length)]}-${name}-${Math.floor(rand() * 1000)}`;
  }
}

function value(field: protobuf.Field, rand: () => number, depth: number): unknown {
  const resolved = field.resolve().resolvedType;
  if (resolved instanceof protobuf.Type) return depth >= MAX_DEPTH ? {} : sampleMessage(resolved, rand, depth + 1);
  return scalar(field.type, field.name, rand, resolved);
}

export function sampleMessage(type: protobuf.Type, rand: () => number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const skipped = new Set<string>();
  for (const oneof of type.oneofsArray) oneof.fieldsArray.slice(1).forEach((f) => skipped.add(f.name));
  for (const field of type.fieldsArray) {
    if (skipped.has(field.name)) continue;
    if (field instanceof protobuf.MapField) {
      const key = scalar(field.keyType, `${field.name}-key`, rand, null);
      out[field.name] = { [String(key)]: value(field, rand, depth) };
    } else if (field.repeated) {
      out[field.name] = depth >= MAX_DEPTH ? [] : [value(field, rand, depth), value(field, rand, depth)];
    } else out[field.name] = value(field, rand, depth);
  }
  return out;
}
