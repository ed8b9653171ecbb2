// `mockd grpc call <addr> <svc/method> <json>`: a quick check against a gRPC mock, with the same .proto files the
// mock was built from, or by server reflection when no --proto is given (no code generation). Unary and
// server-streaming methods print each response as JSON. grpc-js and proto-loader are loaded by the action, so other
// commands do not pay for them.

import { resolve } from 'node:path';
import type { ServiceError } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { CliError } from '../client.ts';
import { print } from '../output.ts';
import { toArray, UsageError, type CommandDef } from '../registry.ts';

const DEFAULT_TIMEOUT_S = 10;
/** Reading the protos by reflection is a few round trips; it gets its own bound, within the call's deadline. */
const REFLECTION_TIMEOUT_MS = 10_000;
const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, bytes: String, defaults: true, oneofs: true };

interface MethodDef {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize(v: object): Buffer;
  responseDeserialize(b: Buffer): object;
}

function parseTarget(target: string): [service: string, method: string] {
  const m = /^\/?([\w.]+)\/(\w+)$/.exec(target);
  if (!m) throw new UsageError('the method must look like pkg.Service/Method');
  return [m[1]!, m[2]!];
}

async function loadProtoFiles(protos: string[], importPaths: string[]): Promise<PackageDefinition> {
  const { loadSync } = await import('@grpc/proto-loader');
  try {
    return loadSync(protos, { ...LOADER_OPTIONS, includeDirs: importPaths });
  } catch (err) {
    throw new CliError(`cannot load protos: ${(err as Error).message}`);
  }
}

function findMethod(definition: PackageDefinition, m: [string, string]): MethodDef {
  const service = definition[m[0]] as unknown as Record<string, MethodDef> | undefined;
  const method = service && !('format' in service) ? service[m[1]] : undefined;
  if (!method) throw new CliError(`method ${m[0]}/${m[1]} is not in the protos`);
  return method;
}

const call: CommandDef = {
  path: ['grpc', 'call'],
  args: '<addr> <method> <json>',
  description: 'Call a gRPC method (unary or server-streaming) and print the responses',
  options: [
    ['--proto <file>', 'Proto file (repeatable; without it, the protos come from server reflection)'],
    ['--proto-path <dir>', 'Import path (repeatable)'],
    ['-H, --metadata <kv>', 'Metadata "key: value" (repeatable)'],
    ['--timeout <s>', 'Deadline of the call in seconds (default 10; 0 = none, for long streams)'],
  ],
  async action([addr, target, body], o, { json }) {
    const timeout = o.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(o.timeout);
    if (!Number.isFinite(timeout) || timeout < 0) throw new UsageError('--timeout must be a number of seconds, 0 or more');
    // grpc-js takes Infinity as "no deadline".
    const deadline = timeout === 0 ? Infinity : Date.now() + timeout * 1000;
    const name = parseTarget(target!);
    const protos = toArray(o.proto).map((p) => resolve(p));
    const grpc = await import('@grpc/grpc-js');
    const client = new grpc.Client(addr!, grpc.credentials.createInsecure());
    try {
      const definition =
        protos.length > 0
          ? await loadProtoFiles(protos, toArray(o.protoPath).map((p) => resolve(p)))
          : await (await import('../grpc-reflection.ts')).loadProtosByReflection(client, name[0], LOADER_OPTIONS, Math.min(deadline, Date.now() + REFLECTION_TIMEOUT_MS));
      await callMethod(grpc, client, findMethod(definition, name), body!, toArray(o.metadata), deadline, json);
    } finally {
      client.close();
    }
  },
};

async function callMethod(
  grpc: typeof import('@grpc/grpc-js'),
  client: import('@grpc/grpc-js').Client,
  method: MethodDef,
  body: string,
  metadataFlags: string[],
  deadline: number,
  json: boolean,
): Promise<void> {
  if (method.requestStream) throw new UsageError('client-streaming and bidi methods are not supported by grpc call');
  let request: object;
  try {
    request = JSON.parse(body);
  } catch {
    throw new UsageError('the request must be JSON');
  }
  const metadata = new grpc.Metadata();
  for (const kv of metadataFlags) {
    const i = kv.indexOf(':');
    if (i <= 0) throw new UsageError(`--metadata must look like "key: value", got "${kv}"`);
    metadata.add(kv.slice(0, i).trim().toLowerCase(), kv.slice(i + 1).trim());
  }
  const show = (value: object) => print(JSON.stringify(value, null, json ? 2 : 0));
  await new Promise<void>((done, fail) => {
    const onError = (err: ServiceError) => fail(new CliError(`${grpc.status[err.code] ?? err.code}: ${err.details || err.message}`));
    if (method.responseStream) {
      const stream = client.makeServerStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, request, metadata, { deadline });
      stream.on('data', show);
      stream.on('error', onError);
      stream.on('end', () => done());
    } else {
      client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, metadata, { deadline }, (err, value) => {
        if (err) return onError(err);
        show(value!);
        done();
      });
    }
  });
}

export const grpcToolCommands: CommandDef[] = [call];
