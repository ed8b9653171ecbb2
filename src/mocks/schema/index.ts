// Validation of the mock envelope (contract §2) and each spec. The first problem found is reported as
// `400 validation error on <dotted.field>: <reason>`; nothing is stored when validation fails.

import { z } from 'zod';
import { MockdError, validationError } from '../../errors.ts';
import { MOCK_TYPES, ON_CHANGE_POLICIES, type Mock, type MockType, type OnChange } from '../types.ts';
import { MOCK_ID_RE } from '../../util/ids.ts';
import { httpSpecSchema } from './http.ts';
import { websocketSpecSchema } from './websocket.ts';
import { mqttSpecSchema } from './mqtt.ts';
import { grpcSpecSchema } from './grpc.ts';
import { GO_MOCKD_SPEC_FIELDS } from './go-mockd-fields.ts';
import { findUnknownField } from './unknown-fields.ts';
import { faultKindsOfMockType, parseFaultBlock } from './faults.ts';

const SPEC_SCHEMAS: Record<MockType, z.ZodType> = {
  http: httpSpecSchema,
  websocket: websocketSpecSchema,
  mqtt: mqttSpecSchema,
  grpc: grpcSpecSchema,
};

const ENVELOPE_KEYS = new Set(['id', 'type', 'name', 'description', 'enabled', 'createdAt', 'updatedAt', 'onChange', 'drainTimeoutMs', 'faults']);
const DROPPED = new WeakMap<object, string[]>();

/**
 * Unknown fields the Go mockd knows are dropped, not rejected, so configs written for the Go mockd load; the write
 * answers with a `warnings` list naming them (fields neither knows are refused: unknown-fields.ts). These are the
 * dotted paths dropped while parsing `input`.
 */
export function droppedFieldsOf(input: MockInput): string[] {
  return DROPPED.get(input) ?? [];
}

/** Keys present in `raw` but absent from the schema's output, as dotted paths. */
function droppedFields(raw: unknown, parsed: unknown, path: PropertyKey[]): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    return raw.flatMap((item, i) => droppedFields(item, parsed[i], [...path, i]));
  }
  if (!isPlainObject(raw) || !isPlainObject(parsed)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in parsed)) {
      if (v !== undefined) out.push(formatFieldPath([...path, k]));
    } else out.push(...droppedFields(v, parsed[k], [...path, k]));
  }
  return out;
}

/** A validated mock before the server assigns id and timestamps. */
export type MockInput = Omit<Mock, 'id' | 'createdAt' | 'updatedAt'> & { id?: string };

/** `['mocks', 2, 'http', 'response']` → `mocks[2].http.response`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const expected = (issue as { expected?: string }).expected;
    if (/received undefined/.test(issue.message)) return 'required';
    return `must be ${expected === 'object' || expected === 'array' ? 'an' : 'a'} ${expected}`;
  }
  if (issue.code === 'invalid_value') {
    const values = (issue as { values?: unknown[] }).values ?? [];
    return `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return issue.message;
}

/**
 * Validates one mock as received from a client or a config file. `prefix` is prepended to field paths
 * (`mocks[2]` for a config file entry). Unknown top-level fields are dropped; the legacy top-level
 * `matcher` + `response` form is read as an http mock.
 */
export function parseMock(raw: unknown, prefix: readonly PropertyKey[] = []): MockInput {
  const at = (...path: PropertyKey[]) => formatFieldPath([...prefix, ...path]);
  if (!isPlainObject(raw)) throw validationError(at() || 'mock', 'must be an object');

  let input = raw;
  const hasSpecKey = MOCK_TYPES.some((t) => input[t] !== undefined);
  if (input.type === undefined && !hasSpecKey && (input.matcher !== undefined || input.response !== undefined)) {
    const { matcher, response, ...rest } = input;
    input = { ...rest, type: 'http', http: { matcher, response } };
  }

  let type = input.type;
  if (type === undefined) {
    const present = MOCK_TYPES.filter((t) => input[t] !== undefined);
    if (present.length === 0) throw new MockdError('missing_type', 'mock type is required: set type or one of http, websocket, mqtt, grpc');
    if (present.length > 1) throw validationError(at('type'), `exactly one spec key is allowed, got ${present.join(', ')}`);
    type = present[0];
  }
  if (typeof type !== 'string' || !(MOCK_TYPES as readonly string[]).includes(type)) {
    throw validationError(at('type'), `must be one of ${MOCK_TYPES.join(', ')}`);
  }
  const mockType = type as MockType;
  for (const t of MOCK_TYPES) {
    if (t !== mockType && input[t] !== undefined) throw validationError(at(t), `not allowed on a ${mockType} mock`);
  }
  if (input[mockType] === undefined) throw validationError(at(mockType), 'required');

  if (input.id !== undefined && (typeof input.id !== 'string' || !MOCK_ID_RE.test(input.id))) {
    throw validationError(at('id'), 'must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$');
  }
  for (const key of ['name', 'description'] as const) {
    if (input[key] !== undefined && typeof input[key] !== 'string') throw validationError(at(key), 'must be a string');
  }
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw validationError(at('enabled'), 'must be a boolean');
  if (input.onChange !== undefined && !(ON_CHANGE_POLICIES as readonly unknown[]).includes(input.onChange)) {
    throw validationError(at('onChange'), `must be one of ${ON_CHANGE_POLICIES.map((p) => JSON.stringify(p)).join(', ')}`);
  }
  const drain = input.drainTimeoutMs;
  if (drain !== undefined && (typeof drain !== 'number' || !Number.isInteger(drain) || drain < 0 || drain > 86_400_000)) {
    throw validationError(at('drainTimeoutMs'), 'must be an integer from 0 to 86400000');
  }

  const unknown = findUnknownField(input[mockType], [SPEC_SCHEMAS[mockType]], GO_MOCKD_SPEC_FIELDS[mockType], [mockType]);
  if (unknown) throw validationError(at(...unknown.path), unknown.reason);

  const result = SPEC_SCHEMAS[mockType].safeParse(input[mockType]);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw validationError(at(mockType, ...issue.path), describeIssue(issue));
  }

  const dropped = [
    ...Object.keys(input).filter((k) => !ENVELOPE_KEYS.has(k) && !(MOCK_TYPES as readonly string[]).includes(k)).map((k) => at(k)),
    ...droppedFields(input[mockType], result.data, [...prefix, mockType]),
  ];
  const out: MockInput = {
    type: mockType,
    name: (input.name as string | undefined) ?? '',
    description: (input.description as string | undefined) ?? '',
    enabled: (input.enabled as boolean | undefined) ?? true,
    [mockType]: result.data,
  };
  if (input.id !== undefined) out.id = input.id as string;
  if (input.faults !== undefined) {
    const isSse = mockType === 'http' && (result.data as { sse?: unknown }).sse !== undefined;
    out.faults = parseFaultBlock(input.faults, at('faults'), faultKindsOfMockType(mockType, isSse));
  }
  if (input.onChange !== undefined) out.onChange = input.onChange as OnChange;
  if (drain !== undefined) out.drainTimeoutMs = drain as number;
  if (dropped.length > 0) DROPPED.set(out, dropped);
  return out;
}
