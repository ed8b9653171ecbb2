// The checks of a gRPC spec that need the protos (contract §7): they must parse, and every service and method the
// mock lists must exist in them. The coordinator runs this after the schema, on create and update.

import { validationError } from '../../errors.ts';
import type { GrpcSpec } from '../../mocks/types.ts';
import { loadProtos } from './proto.ts';

/** Rejects with `validation error on grpc.services.<svc>…` (or on the proto source field) when the spec cannot run. */
export async function validateGrpcSpec(spec: GrpcSpec, baseDir: string): Promise<void> {
  const { services } = await loadProtos(spec, baseDir);
  for (const [svc, { methods }] of Object.entries(spec.services ?? {})) {
    const methodsInProto = services.get(svc);
    if (!methodsInProto) {
      const known = [...services.keys()].join(', ') || 'none';
      throw validationError(`grpc.services.${svc}`, `service not found in the protos (services: ${known})`);
    }
    for (const name of Object.keys(methods)) {
      if (!Object.hasOwn(methodsInProto, name)) {
        const known = Object.keys(methodsInProto).join(', ');
        throw validationError(`grpc.services.${svc}.methods.${name}`, `method not found in ${svc} (methods: ${known})`);
      }
    }
  }
}
