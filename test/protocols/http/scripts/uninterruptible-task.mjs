// A pool task file for script-pool.test.ts: `spin` loops outside any vm timeout, as only a thread kill can stop;
// anything else answers with the id of the thread it ran on.
import { threadId } from 'node:worker_threads';

export default function run({ source }) {
  if (source === 'spin') for (;;);
  return { kind: 'result', body: String(threadId) };
}
