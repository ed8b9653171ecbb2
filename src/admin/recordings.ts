// Record and replay routes (issue 21). `POST /recordings/snapshot` turns journaled traffic into mocks.

import type { H3 } from 'h3';
import { validationError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { takeSnapshot } from '../coordinator/recordings.ts';
import { parseSnapshotRequest } from '../recording/snapshot.ts';
import { json, readJson } from './respond.ts';

export function registerRecordingRoutes(app: H3, c: Coordinator): void {
  app.post('/recordings/snapshot', async (event) => {
    const body = (await readJson(event)) as Record<string, unknown> | undefined;
    const request = parseSnapshotRequest(body);
    const stopProxies = body?.stopProxies;
    if (stopProxies !== undefined && typeof stopProxies !== 'boolean') throw validationError('stopProxies', 'must be a boolean');
    const result = await takeSnapshot(c, { ...request, stopProxies: stopProxies === true });
    return json(request.dryRun ? 200 : 201, result);
  });
}
