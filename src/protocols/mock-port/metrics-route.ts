// `GET /__mockd/metrics` on the mock port (issue 23): the same Prometheus text as the admin API's `/metrics`, with no
// auth, like `/__mockd/health` next to it.

import type { ServerResponse } from 'node:http';
import { requestMetricsText } from '../metrics-text.ts';
import { sendJson } from './send-json.ts';

export function sendMetrics(res: ServerResponse): void {
  requestMetricsText().then(
    (text) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(text);
    },
    (err: Error) => sendJson(res, 503, { error: 'worker_unavailable', message: err.message }),
  );
}
