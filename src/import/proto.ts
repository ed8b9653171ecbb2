// protobuf → one gRPC mock with reflection on, answering every method of every service with a generated message
// valid for its response type; streaming methods send a stream of `streamCount` messages (default 100). A file on
// disk is referenced by path, so its imports resolve against its folder as the gRPC loader does; a POST body is
// carried inline as `protoContent`.

import { resolve } from 'node:path';
import protobuf from 'protobufjs';
import { ImportParseError } from './parse-text.ts';
import { createPrng, sampleMessage } from './proto-sample.ts';
import type { Importer } from './types.ts';

export const DEFAULT_STREAM_COUNT = 100;

function parseError(err: Error): ImportParseError {
  const m = /line (\d+)/.exec(err.message);
  return new ImportParseError(err.message, m ? Number(m[1]) : undefined, m ? 1 : undefined);
}

function loadRoot(text: string, path: string | undefined): protobuf.Root {
  const root = new protobuf.Root();
  try {
    if (path) root.loadSync(path, { keepCase: true });
    else protobuf.parse(text, root, { keepCase: true });
    root.resolveAll();
  } catch (err) {
    throw parseError(err as Error);
  }
  return root;
}

function servicesOf(ns: protobuf.NamespaceBase): protobuf.Service[] {
  return ns.nestedArray.flatMap((n) => (n instanceof protobuf.Service ? [n] : n instanceof protobuf.Namespace ? servicesOf(n) : []));
}

export const importProto: Importer = async (source, _data, options) => {
  const path = source.baseDir && source.fileName ? resolve(source.baseDir, source.fileName) : undefined;
  const root = loadRoot(source.text, path);
  const rand = createPrng(options.seed ?? 1);
  const streamCount = options.streamCount ?? DEFAULT_STREAM_COUNT;
  const warnings: string[] = [];
  const services: Record<string, { methods: Record<string, unknown> }> = {};
  for (const service of servicesOf(root)) {
    const name = service.fullName.replace(/^\./, '');
    // Services pulled in through imports (e.g. another package's API) are answered too: the client may call them.
    const methods: Record<string, unknown> = {};
    for (const method of service.methodsArray) {
      const type = (method.resolve() as protobuf.Method).resolvedResponseType!;
      if (method.responseStream) {
        methods[method.name] = { responses: Array.from({ length: streamCount }, () => sampleMessage(type, rand)) };
      } else methods[method.name] = { response: sampleMessage(type, rand) };
    }
    services[name] = { methods };
  }
  if (Object.keys(services).length === 0) warnings.push('the proto defines no service: the gRPC mock answers nothing');
  const grpc: Record<string, unknown> = { port: options.grpcPort ?? 0, reflection: true, services };
  if (path) grpc.protoFile = path;
  else grpc.protoContent = source.text;
  const base = (source.fileName ?? 'proto').replace(/\.proto$/i, '');
  return { format: 'proto', mocks: [{ slug: base, mock: { type: 'grpc', name: base, grpc } }], warnings };
};
