// Validation of fault data (README "Faults and chaos"): the per-mock `faults` block, the body of
// `POST /<protocol>/connections/{id}/fault` and the chaos configuration. The first problem is reported as
// `validation error on <field>: <reason>`.

import { validationError } from '../../errors.ts';
import {
  CONNECTION_FAULT_KINDS, FAULT_KINDS, HTTP_FAULT_KINDS,
  type ChaosConfig, type ChaosRule, type ConnectionFault, type FaultBlock, type LatencySpec,
} from '../../contract/faults.ts';
import { PROTOCOLS, type Protocol } from '../../contract/protocols.ts';

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(raw: Raw, allowed: readonly string[], at: string): void {
  for (const k of Object.keys(raw)) if (!allowed.includes(k)) throw validationError(join(at, k), 'unknown field');
}

function join(at: string, key: string): string {
  return at === '' ? key : `${at}.${key}`;
}

function number(raw: Raw, key: string, at: string, min: number, max = Number.MAX_SAFE_INTEGER, integer = true): number | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw validationError(join(at, key), integer ? 'must be an integer' : 'must be a number');
  }
  if (v < min || v > max) throw validationError(join(at, key), `must be between ${min} and ${max}`);
  return v;
}

export function parseLatency(v: unknown, at: string): LatencySpec {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0 || v > 600_000) throw validationError(at, 'must be between 0 and 600000 ms');
    return v;
  }
  if (!isObject(v)) throw validationError(at, 'must be a number of ms or {type: fixed|uniform|lognormal, …}');
  switch (v.type) {
    case 'fixed':
      checkKeys(v, ['type', 'ms'], at);
      if (v.ms === undefined) throw validationError(join(at, 'ms'), 'required');
      return { type: 'fixed', ms: number(v, 'ms', at, 0, 600_000, false)! };
    case 'uniform': {
      checkKeys(v, ['type', 'min', 'max'], at);
      const min = number(v, 'min', at, 0, 600_000, false) ?? 0;
      if (v.max === undefined) throw validationError(join(at, 'max'), 'required');
      const max = number(v, 'max', at, 0, 600_000, false)!;
      if (max < min) throw validationError(join(at, 'max'), 'must be at least min');
      return { type: 'uniform', min, max };
    }
    case 'lognormal': {
      checkKeys(v, ['type', 'median', 'sigma'], at);
      if (v.median === undefined) throw validationError(join(at, 'median'), 'required');
      const median = number(v, 'median', at, 0, 600_000, false)!;
      const sigma = number(v, 'sigma', at, 0, 5, false) ?? 0.5;
      return { type: 'lognormal', median, sigma };
    }
    default:
      throw validationError(join(at, 'type'), 'must be one of "fixed", "uniform", "lognormal"');
  }
}

const BLOCK_KEYS = ['fault', 'durationMs', 'delayMs', 'count', 'code', 'reason', 'retryMs', 'latency', 'errorRate', 'errorStatus', 'bandwidth'];

/** The shared fields of a `faults` block or a chaos rule; `kinds` are the fault kinds allowed here. */
function parseBlockFields(raw: Raw, at: string, kinds: readonly string[]): FaultBlock {
  const out: FaultBlock = {};
  if (raw.fault !== undefined) {
    if (typeof raw.fault !== 'string' || !kinds.includes(raw.fault)) {
      throw validationError(join(at, 'fault'), `must be one of ${kinds.map((k) => JSON.stringify(k)).join(', ')}`);
    }
    out.fault = raw.fault as FaultBlock['fault'];
  }
  Object.assign(out, parseFaultParameters(raw, at));
  if (raw.latency !== undefined) out.latency = parseLatency(raw.latency, join(at, 'latency'));
  const errorRate = number(raw, 'errorRate', at, 0, 1, false);
  if (errorRate !== undefined) out.errorRate = errorRate;
  const errorStatus = number(raw, 'errorStatus', at, 100, 599);
  if (errorStatus !== undefined) out.errorStatus = errorStatus;
  const bandwidth = number(raw, 'bandwidth', at, 1);
  if (bandwidth !== undefined) out.bandwidth = bandwidth;
  return out;
}

function parseFaultParameters(raw: Raw, at: string): Omit<ConnectionFault, 'kind'> {
  const out: Omit<ConnectionFault, 'kind'> = {};
  const durationMs = number(raw, 'durationMs', at, 1, 86_400_000);
  if (durationMs !== undefined) out.durationMs = durationMs;
  const delayMs = number(raw, 'delayMs', at, 0, 600_000);
  if (delayMs !== undefined) out.delayMs = delayMs;
  const count = number(raw, 'count', at, 1);
  if (count !== undefined) out.count = count;
  const code = number(raw, 'code', at, 0, 4999);
  if (code !== undefined) out.code = code;
  if (raw.reason !== undefined) {
    if (typeof raw.reason !== 'string') throw validationError(join(at, 'reason'), 'must be a string');
    if (Buffer.byteLength(raw.reason) > 123) throw validationError(join(at, 'reason'), 'must be at most 123 bytes');
    out.reason = raw.reason;
  }
  const retryMs = number(raw, 'retryMs', at, 0, 86_400_000);
  if (retryMs !== undefined) out.retryMs = retryMs;
  return out;
}

/** A mock's `faults` block: HTTP kinds on http mocks (SSE streams take connection kinds too), connection kinds elsewhere. */
export function parseFaultBlock(raw: unknown, at: string, kinds: readonly string[]): FaultBlock {
  if (!isObject(raw)) throw validationError(at, 'must be an object');
  checkKeys(raw, BLOCK_KEYS, at);
  return parseBlockFields(raw, at, kinds);
}

/** The fault kinds a mock may name in its `faults` block: HTTP kinds on http mocks, plus SSE's on an SSE mock. */
export function faultKindsOfMockType(type: string, isSse = false): readonly string[] {
  if (type === 'http') return isSse ? [...new Set([...HTTP_FAULT_KINDS, ...FAULT_KINDS.sse])] : HTTP_FAULT_KINDS;
  return FAULT_KINDS[type as Protocol] ?? [];
}

/** The body of `POST /<protocol>/connections/{id}/fault`. */
export function parseConnectionFault(raw: unknown, protocol: Protocol): ConnectionFault {
  if (!isObject(raw)) throw validationError('body', 'must be an object');
  checkKeys(raw, ['kind', 'durationMs', 'delayMs', 'count', 'code', 'reason', 'retryMs'], '');
  const kinds = FAULT_KINDS[protocol];
  if (typeof raw.kind !== 'string' || !kinds.includes(raw.kind as never)) {
    throw validationError('kind', `must be one of ${kinds.map((k) => JSON.stringify(k)).join(', ')} on ${protocol}`);
  }
  const fault: ConnectionFault = { kind: raw.kind as ConnectionFault['kind'], ...parseFaultParameters(raw, '') };
  if (fault.kind === 'delay' && fault.delayMs === undefined) throw validationError('delayMs', 'required for kind "delay"');
  if (fault.kind === 'close' && protocol === 'websocket' && fault.code !== undefined && !isSendableCloseCode(fault.code)) {
    throw validationError('code', 'must be 1000, 1001-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4)');
  }
  if (fault.kind === 'close' && protocol === 'grpc' && fault.code !== undefined && (fault.code < 1 || fault.code > 16)) {
    throw validationError('code', 'must be a gRPC status code between 1 and 16');
  }
  return fault;
}

/** Close codes an endpoint may send in a close frame (1004-1006 and 1015 are reserved, RFC 6455 §7.4.1). */
function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

const ALL_KINDS = [...new Set([...HTTP_FAULT_KINDS, ...CONNECTION_FAULT_KINDS])];

/** `PUT /chaos`: a whole configuration; unset fields are off. */
export function parseChaosConfig(raw: unknown): ChaosConfig {
  if (!isObject(raw)) throw validationError('body', 'must be an object');
  checkKeys(raw, ['enabled', 'rules', 'profile', ...BLOCK_KEYS], '');
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') throw validationError('enabled', 'must be a boolean');
  const config: ChaosConfig = { enabled: (raw.enabled as boolean | undefined) ?? true, ...parseBlockFields(raw, '', ALL_KINDS), rules: [] };
  if (typeof raw.profile === 'string') config.profile = raw.profile;
  if (raw.rules !== undefined) {
    if (!Array.isArray(raw.rules)) throw validationError('rules', 'must be an array');
    config.rules = raw.rules.map((r, i) => parseChaosRule(r, `rules[${i}]`));
  }
  return config;
}

function parseChaosRule(raw: unknown, at: string): ChaosRule {
  if (!isObject(raw)) throw validationError(at, 'must be an object');
  checkKeys(raw, ['match', ...BLOCK_KEYS], at);
  const match = raw.match ?? {};
  if (!isObject(match)) throw validationError(join(at, 'match'), 'must be an object');
  checkKeys(match, ['protocol', 'mockId', 'path'], join(at, 'match'));
  const protocols = ['http', ...PROTOCOLS];
  if (match.protocol !== undefined && !protocols.includes(match.protocol as string)) {
    throw validationError(join(at, 'match.protocol'), `must be one of ${protocols.map((p) => JSON.stringify(p)).join(', ')}`);
  }
  for (const key of ['mockId', 'path'] as const) {
    if (match[key] !== undefined && typeof match[key] !== 'string') throw validationError(join(at, `match.${key}`), 'must be a string');
  }
  return { match: match as ChaosRule['match'], ...parseBlockFields(raw, at, ALL_KINDS) };
}
