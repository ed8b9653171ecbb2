// `mockd grpc call <addr> <svc/method> <json>`: a quick check against a gRPC mock with the same .proto files the
// mock was built from (no code generation). Unary and server-streaming methods print each response as JSON.

import { resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { CliError } from '../client.ts';
import { print } from '../output.ts';
import { toArray, UsageError, type CommandDef } from '../registry.ts';

const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, bytes: String, defaults: true, oneofs: true };

interface MethodDef {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize(v: object): Buffer;
  responseDeserialize(b: Buffer): object;
}

function findMethod(protos: string[], importPaths: string[], target: string): MethodDef {
  const m = /^\/?([\w.]+)\/(\w+)$/.exec(target);
  if (!m) throw new UsageError('the method must look like pkg.Service/Method');
  let definition;
  try {
    definition = loadSync(protos, { ...LOADER_OPTIONS, includeDirs: importPaths });
  } catch (err) {
    throw new CliError(`cannot load protos: ${(err as Error).message}`);
  }
  const service = definition[m[1]!] as Record<string, MethodDef> | undefined;
  const method = service && !('format' in service) ? service[m[2]!] : undefined;
  if (!method) throw new CliError(`method ${m[1]}/${m[2]} is not in the protos`);
  return method;
}

const call: CommandDef = {
  path: ['grpc', 'call'],
  args: '<addr> <method> <json>',
  description: 'Call a gRPC method (unary or server-streaming) and print the responses',
  options: [
    ['--proto <file>', 'Proto file (repeatable, required)'],
    ['--proto-path <dir>', 'Import path (repeatable)'],
    ['-H, --metadata <kv>', 'Metadata "key: value" (repeatable)'],
    ['--timeout <s>', 'Deadline in seconds (default 10)'],
  ],
  async action([addr, target, body], o, { json }) {
    const protos = toArray(o.proto).map((p) => resolve(p));
    if (protos.length === 0) throw new UsageError('--proto is required');
    const method = findMethod(protos, toArray(o.protoPath).map((p) => resolve(p)), target!);
    if (method.requestStream) throw new UsageError('client-streaming and bidi methods are not supported by grpc call');
    let request: object;
    try {
      request = JSON.parse(body!);
    } catch {
      throw new UsageError('the request must be JSON');
    }
    const metadata = new grpc.Metadata();
    for (const kv of toArray(o.metadata)) {
      const i = kv.indexOf(':');
      if (i <= 0) throw new UsageError(`--metadata must look like "key: value", got "${kv}"`);
      metadata.add(kv.slice(0, i).trim().toLowerCase(), kv.slice(i + 1).trim());
    }
    const client = new grpc.Client(addr!, grpc.credentials.createInsecure());
    const deadline = Date.now() + (Number(o.timeout ?? 10) || 10) * 1000;
    const show = (value: object) => print(JSON.stringify(value, null, json ? 2 : 0));
    try {
      await new Promise<void>((done, fail) => {
        const onError = (err: grpc.ServiceError) =>
          fail(new CliError(`${grpc.status[err.code] ?? err.code}: ${err.details || err.message}`));
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
    } finally {
      client.close();
    }
  },
};

export const grpcToolCommands: CommandDef[] = [call];
