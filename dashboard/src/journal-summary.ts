// One line per journal entry, in the words of `mockd logs` (contract §12): `GET /x → 200`, `ws ws-4 in text "hello"`,
// `mqtt sensor-7 in a/b qos1`, `grpc /pkg.Svc/M OK`.

import type { JournalEntry } from './journal-types.ts';

const GRPC_CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

export function grpcCodeName(code: number): string {
  return GRPC_CODES[code] ?? String(code);
}

function quote(text: string | undefined, max = 60): string {
  const t = text ?? '';
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
}

export function summarize(e: JournalEntry): string {
  if (e.http) return `${e.http.method} ${e.http.path} → ${e.http.statusCode}`;
  if (e.websocket) return `ws ${e.websocket.connectionId} ${e.websocket.direction} ${e.websocket.messageType} ${quote(e.websocket.data)}`;
  if (e.sse) return e.sse.kind === 'open' ? `sse ${e.sse.connectionId} open` : `sse ${e.sse.connectionId} event ${e.sse.eventType ?? 'message'} ${quote(e.sse.data)}`;
  if (e.mqtt) return `mqtt ${e.mqtt.clientId} ${e.mqtt.direction} ${e.mqtt.topic} qos${e.mqtt.qos}${e.mqtt.retain ? ' retained' : ''}`;
  if (e.grpc) {
    if (e.grpc.kind === 'call') return `grpc ${e.grpc.method} ${grpcCodeName(e.grpc.statusCode ?? 0)}`;
    return `grpc ${e.grpc.streamId ?? ''} ${e.grpc.direction ?? ''} ${quote(JSON.stringify(e.grpc.body ?? null))}`;
  }
  return e.protocol;
}

/** The text of a body, payload or frame, pretty-printed when it is JSON. */
export function prettyBody(body: unknown): string {
  if (body === undefined || body === null || body === '') return '';
  if (typeof body !== 'string') return JSON.stringify(body, null, 2);
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
