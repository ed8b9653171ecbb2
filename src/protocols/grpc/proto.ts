// Loads a gRPC mock's protos at runtime with @grpc/proto-loader (no codegen), from protoFile(s) resolved against the
// base dir or from inline protoContent. Contract §7: the protos are read, and must parse, on create and every start.

import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { loadSync, type MethodDefinition, type PackageDefinition } from '@grpc/proto-loader';
import { validationError } from '../../errors.ts';
import type { GrpcSpec } from '../../mocks/types.ts';

export type AnyMethodDefinition = MethodDefinition<object, object>;

export interface LoadedProtos {
  /** What grpc-js and the reflection service are built from. */
  packageDefinition: PackageDefinition;
  /** Every service in the protos by full name (`pkg.Svc`), with its methods by name. */
  services: Map<string, Record<string, AnyMethodDefinition>>;
}

/**
 * Request and response messages as plain JSON keyed by the .proto field names (contract §7 templating and matching):
 * keepCase keeps `user_id` as written, 64-bit integers and enums read as strings, defaults are filled in.
 */
const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, bytes: String, defaults: true, oneofs: true };

export async function loadProtos(spec: GrpcSpec, baseDir: string): Promise<LoadedProtos> {
  const includeDirs = (spec.importPaths ?? []).map((p) => resolve(baseDir, p));
  if (spec.protoContent !== undefined) return loadInline(spec.protoContent, includeDirs);

  const files = spec.protoFiles ?? (spec.protoFile !== undefined ? [spec.protoFile] : []);
  const field = spec.protoFiles ? 'grpc.protoFiles' : 'grpc.protoFile';
  const paths = files.map((f) => (isAbsolute(f) ? f : resolve(baseDir, f)));
  for (const [i, path] of paths.entries()) {
    try {
      await access(path);
    } catch {
      throw validationError(spec.protoFiles ? `${field}[${i}]` : field, `cannot read proto file ${path}`);
    }
  }
  // Each file's own directory comes after the import paths, so sibling imports resolve without configuration.
  const dirs = [...includeDirs, ...new Set(paths.map((p) => dirname(p)))];
  return loadFiles(paths, dirs, field, (m) => m);
}

/** Inline protos go through a temp file so imports, well-known types and reflection work exactly as for files. */
async function loadInline(content: string, includeDirs: string[]): Promise<LoadedProtos> {
  const dir = await mkdtemp(join(tmpdir(), 'mockd-grpc-'));
  try {
    const file = join(dir, 'mock.proto');
    await writeFile(file, content);
    return await loadFiles([file], [...includeDirs, dir], 'grpc.protoContent', (m) => m.replaceAll(file, 'protoContent'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function loadFiles(
  paths: string[],
  includeDirs: string[],
  field: string,
  cleanMessage: (message: string) => string,
): LoadedProtos {
  let packageDefinition: PackageDefinition;
  try {
    // loadSync, not load: protobufjs's async loader throws unresolvable types from a file-read callback, where no
    // catch can reach them and they would crash the worker.
    packageDefinition = loadSync(paths, { ...LOADER_OPTIONS, includeDirs });
  } catch (err) {
    throw validationError(field, `proto does not parse: ${cleanMessage((err as Error).message)}`);
  }
  return { packageDefinition, services: servicesOf(packageDefinition) };
}

/** A package definition mixes services, messages and enums; only services lack a `format`. */
function servicesOf(definition: PackageDefinition): Map<string, Record<string, AnyMethodDefinition>> {
  const services = new Map<string, Record<string, AnyMethodDefinition>>();
  for (const [name, value] of Object.entries(definition)) {
    if (!('format' in value)) services.set(name, value as Record<string, AnyMethodDefinition>);
  }
  return services;
}
