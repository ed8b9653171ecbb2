// Comlink structured-clones a thrown Error into a plain Error: class, `code` and `field` are lost. Both sides install
// this `throw` transfer handler so a MockdError thrown in a worker arrives in the coordinator with its code intact.

import { transferHandlers } from 'comlink';
import { MockdError, isErrorCode } from '../errors.ts';

interface SerializedThrow {
  isError: boolean;
  value: unknown;
}

let installed = false;

export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const original = transferHandlers.get('throw')!;
  transferHandlers.set('throw', {
    canHandle: original.canHandle,
    serialize(thrown: unknown) {
      const value = (thrown as { value: unknown }).value;
      let out: SerializedThrow;
      if (value instanceof Error) {
        const e = value as Error & { code?: unknown; field?: unknown };
        out = {
          isError: true,
          value: { name: e.name, message: e.message, stack: e.stack, code: e.code, field: e.field },
        };
      } else {
        out = { isError: false, value };
      }
      return [out, []];
    },
    deserialize(serialized: unknown) {
      const s = serialized as SerializedThrow;
      if (!s.isError) throw s.value;
      const v = s.value as { name: string; message: string; stack?: string; code?: unknown; field?: unknown };
      if (isErrorCode(v.code)) {
        throw new MockdError(v.code, v.message, typeof v.field === 'string' ? v.field : undefined);
      }
      throw Object.assign(new Error(v.message), v);
    },
  });
}
