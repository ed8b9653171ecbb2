// Port sharing for gRPC (contract §7, "Port sharing"): a create on a stored gRPC mock's port merges its services into
// that mock. Pure: returns a new mock, or throws service_conflict and changes nothing.

import { MockdError } from '../../errors.ts';
import type { GrpcMethodConfig, GrpcSpec, Mock } from '../types.ts';
import { deepEqual } from '../../util/deep-equal.ts';

export interface GrpcMergeResult {
  mock: Mock;
  /** The methods that gained a config or a variant, as `pkg.Svc/M`. */
  added: string[];
  /** Methods configured in the merged mock. */
  total: number;
}

export function mergeGrpcMock(target: Mock, incoming: Mock): GrpcMergeResult {
  const into = target.grpc;
  const from = incoming.grpc;
  if (!into || !from) throw new MockdError('internal_error', 'mergeGrpcMock needs two grpc mocks');

  const spec: GrpcSpec = structuredClone(into);
  mergeProtoSources(spec, from);
  if (from.importPaths) spec.importPaths = union(spec.importPaths ?? [], from.importPaths);
  if (from.reflection) spec.reflection = true;

  const services = (spec.services ??= {});
  const added: string[] = [];
  for (const [svc, { methods }] of Object.entries(from.services ?? {})) {
    const service = (services[svc] ??= { methods: {} });
    for (const [name, config] of Object.entries(methods)) {
      const existing = service.methods[name];
      const key = `${svc}/${name}`;
      service.methods[name] = existing ? addCandidates(existing, structuredClone(config), key) : structuredClone(config);
      added.push(key);
    }
  }

  const total = Object.values(services).reduce((n, s) => n + Object.keys(s.methods).length, 0);
  return { mock: { ...structuredClone(target), grpc: spec }, added, total };
}

/** `protoFiles` are unioned; two different `protoContent` values, or content mixed with files, cannot be merged. */
function mergeProtoSources(spec: GrpcSpec, from: GrpcSpec): void {
  if (spec.protoContent !== undefined || from.protoContent !== undefined) {
    if (spec.protoContent === from.protoContent) return;
    throw new MockdError('service_conflict', 'cannot merge gRPC mocks with different protoContent on the same port');
  }
  const files = union(filesOf(spec), filesOf(from));
  delete spec.protoFile;
  delete spec.protoFiles;
  if (files.length === 1) spec.protoFile = files[0];
  else spec.protoFiles = files;
}

function filesOf(spec: GrpcSpec): string[] {
  return spec.protoFiles ?? (spec.protoFile !== undefined ? [spec.protoFile] : []);
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * Appends the incoming config's candidates as variants of an existing method. A candidate whose `match` equals one
 * already there, or a second catch-all (no `match`), would never be selected: that is a conflict.
 */
function addCandidates(existing: GrpcMethodConfig, incoming: GrpcMethodConfig, key: string): GrpcMethodConfig {
  const { variants: incomingVariants, ...head } = incoming;
  const newcomers = [head, ...(incomingVariants ?? [])];
  const { variants: existingVariants, ...existingHead } = existing;
  const present = [existingHead, ...(existingVariants ?? [])];
  for (const c of newcomers) {
    const clash = present.find((p) => (c.match === undefined ? p.match === undefined : deepEqual(p.match, c.match)));
    if (clash) {
      const what = c.match === undefined ? 'a catch-all config' : 'a config with the same match';
      throw new MockdError('service_conflict', `${key} already has ${what}`);
    }
    present.push(c);
  }
  return { ...existing, variants: [...(existingVariants ?? []), ...newcomers] };
}
