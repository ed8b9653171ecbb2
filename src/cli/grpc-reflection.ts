// The protos of a gRPC server by server reflection (grpc.reflection.v1, then v1alpha), for `mockd grpc call` without
// `--proto`: ask for the file that declares the service, then for each dependency not yet received, and load the
// files as a FileDescriptorSet, the same package definition `--proto` files give.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadFileDescriptorSetFromBuffer, loadSync, type PackageDefinition } from '@grpc/proto-loader';
import type { Client, ClientDuplexStream, ServiceError } from '@grpc/grpc-js';
import { CliError } from './client.ts';

const VERSIONS = ['v1', 'v1alpha'] as const;
const UNIMPLEMENTED = 12;

interface ReflectionResponse {
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}

interface ReflectionMethod {
  path: string;
  requestSerialize(v: object): Buffer;
  responseDeserialize(b: Buffer): ReflectionResponse;
}

function reflectionMethod(version: (typeof VERSIONS)[number]): ReflectionMethod {
  const root = dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json'));
  const file = join(root, 'build', 'proto', 'grpc', 'reflection', version, 'reflection.proto');
  const definition = loadSync(file, { keepCase: true, longs: String, defaults: true, oneofs: true });
  const service = definition[`grpc.reflection.${version}.ServerReflection`] as unknown as Record<string, ReflectionMethod>;
  return service.ServerReflectionInfo!;
}

/** Name (field 1) and dependencies (field 3) of a serialized FileDescriptorProto. */
function describeFile(bytes: Buffer): { name: string; dependencies: string[] } {
  let name = '';
  const dependencies: string[] = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      const text = () => bytes.subarray(at, at + length).toString('utf8');
      if (key >>> 3 === 1) name = text();
      if (key >>> 3 === 3) dependencies.push(text());
      at += length;
    } else throw new CliError('server reflection sent a malformed file descriptor');
  }
  return { name, dependencies };
}

/** A FileDescriptorSet is `repeated FileDescriptorProto file = 1`: each file as field 1, length-delimited. */
function toDescriptorSet(files: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const length: number[] = [];
    let n = file.length;
    do {
      length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n = Math.floor(n / 128);
    } while (n > 0);
    parts.push(Buffer.from([0x0a, ...length]), file);
  }
  return Buffer.concat(parts);
}

/** One request, one response, in order, on a reflection stream. */
function askerOf(call: ClientDuplexStream<object, ReflectionResponse>): (request: object) => Promise<ReflectionResponse> {
  const waiting: { resolve(r: ReflectionResponse): void; reject(e: Error): void }[] = [];
  let failure: Error | undefined;
  call.on('data', (r: ReflectionResponse) => waiting.shift()?.resolve(r));
  call.on('error', (err: Error) => {
    failure = err;
    for (const w of waiting.splice(0)) w.reject(err);
  });
  call.on('end', () => {
    failure ??= new CliError('server reflection ended the stream early');
    for (const w of waiting.splice(0)) w.reject(failure);
  });
  return (request) =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.push({ resolve, reject });
      call.write(request);
    });
}

async function filesFor(client: Client, version: (typeof VERSIONS)[number], service: string, deadline: number): Promise<Buffer[]> {
  const method = reflectionMethod(version);
  const call = client.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, { deadline });
  const ask = askerOf(call);
  const files = new Map<string, Buffer>();
  const wanted: object[] = [{ file_containing_symbol: service }];
  try {
    while (wanted.length > 0) {
      const response = await ask(wanted.shift()!);
      if (response.error_response) {
        throw new CliError(`the server does not offer ${service} (reflection: ${response.error_response.error_message})`);
      }
      for (const bytes of response.file_descriptor_response?.file_descriptor_proto ?? []) {
        const { name, dependencies } = describeFile(bytes);
        files.set(name, bytes);
        for (const dep of dependencies) {
          if (!files.has(dep) && !wanted.some((w) => (w as { file_by_filename?: string }).file_by_filename === dep)) {
            wanted.push({ file_by_filename: dep });
          }
        }
      }
      for (let i = wanted.length - 1; i >= 0; i--) {
        if (files.has((wanted[i] as { file_by_filename?: string }).file_by_filename ?? '')) wanted.splice(i, 1);
      }
    }
  } finally {
    call.end();
    call.cancel();
  }
  return [...files.values()];
}

/** The protos declaring `service`, read from the server at `client` by reflection. */
export async function loadProtosByReflection(client: Client, service: string, options: object, deadline: number): Promise<PackageDefinition> {
  for (const version of VERSIONS) {
    try {
      return loadFileDescriptorSetFromBuffer(toDescriptorSet(await filesFor(client, version, service, deadline)), options);
    } catch (err) {
      if (err instanceof CliError) throw err;
      const e = err as ServiceError;
      if (e.code === UNIMPLEMENTED) continue;
      throw new CliError(`server reflection failed: ${e.details || e.message}`);
    }
  }
  throw new CliError('the server offers no server reflection: pass the protos with --proto');
}
