// A node:test reporter for test/run.js: one line per finished test, `<ran|skipped|empty> <file>`, where a test that
// node:test names after its file stands for a file that defined no test at all (or failed to load).
import { resolve } from 'node:path';

export default async function* countTests(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, file, details, skip, todo } = event.data;
    if (details?.type === 'suite') continue;
    if (file && resolve(name) === resolve(file)) yield `empty ${file}\n`;
    else yield `${skip || todo ? 'skipped' : 'ran'} ${file ?? ''}\n`;
  }
}
