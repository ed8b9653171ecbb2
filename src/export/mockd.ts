// mockd config of every mock (`{version: "1.0", mocks: [...]}`): what `mockd start --config` and POST /import read,
// so export then import gives the same mocks (ids, names, enabled, specs; the server sets the timestamps again).

import type { Mock } from '../mocks/types.ts';

export function exportMockd(mocks: readonly Mock[]): Record<string, unknown> {
  return {
    version: '1.0',
    mocks: mocks.map((m) => ({
      id: m.id,
      type: m.type,
      name: m.name,
      description: m.description,
      enabled: m.enabled,
      ...(m.onChange !== undefined && { onChange: m.onChange }),
      ...(m.drainTimeoutMs !== undefined && { drainTimeoutMs: m.drainTimeoutMs }),
      [m.type]: m[m.type],
      ...(m.faults && { faults: m.faults }),
    })),
  };
}
