// `--write-timeout`: the most time an HTTP response may take, counted from the request's arrival, as the Go mockd's
// `http.Server.WriteTimeout`. A response still unfinished then is cut (the socket is destroyed, so the client sees
// the connection drop, as it would from Go). SSE streams cancel their deadline: they are long-lived by design.

import type { ServerResponse } from 'node:http';

export interface WriteDeadline {
  cancel(): void;
}

export function armWriteDeadline(res: ServerResponse, ms: number): WriteDeadline {
  const timer = setTimeout(() => res.destroy(), ms);
  const cancel = () => clearTimeout(timer);
  res.once('close', cancel);
  return { cancel };
}
