// `mockd version [--json]`, `mockd --version` and `mockd -v`: the first step of the Go mockd's CI ("Verify binary
// runs"). Text is `mockd v<version>` then the runtime; `--json` gives the build details in the Go mockd's field names
// where they apply (`version`, `commit`, `date`, `os`, `arch`), with `node` in place of `go`.

import { buildInfo } from '../../util/package-info.ts';
import { print, printJson } from '../output.ts';
import type { CommandDef } from '../registry.ts';

export function printVersion(json: boolean): void {
  const info = buildInfo();
  if (json) return printJson(info);
  const built = [info.commit?.slice(0, 12), info.date].filter(Boolean).join(', ');
  print(`mockd v${info.version}${built ? ` (${built})` : ''}`);
  print(`node ${info.node} ${info.os}/${info.arch}`);
}

export const versionCommand: CommandDef = {
  path: ['version'],
  description: 'Print the mockd version (--json: build details)',
  async action(_args, _o, { json }) {
    printVersion(json);
  },
};
