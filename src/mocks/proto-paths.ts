// A gRPC mock written through the admin API names its protos by paths that mean something to the client that sent
// them, at that moment. Stored as written, a relative path would later be resolved against whatever folder the next
// `mockd start` runs in, so admin writes store them absolute: resolved against the admin process's working directory
// at write time. Config files keep relative paths (they resolve against the config file's folder on every load).

import { isAbsolute, resolve } from 'node:path';
import type { MockInput } from './schema/index.ts';

export function withAbsoluteProtoPaths(input: MockInput, cwd = process.cwd()): MockInput {
  const spec = input.grpc;
  if (input.type !== 'grpc' || !spec) return input;
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  if (spec.protoFile !== undefined) spec.protoFile = absolute(spec.protoFile);
  if (spec.protoFiles) spec.protoFiles = spec.protoFiles.map(absolute);
  if (spec.importPaths) spec.importPaths = spec.importPaths.map(absolute);
  return input;
}
