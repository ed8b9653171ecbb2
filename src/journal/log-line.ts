// `--log-requests` (issue 23): one log line per journal entry, short enough to read in a terminal, with the fields a
// log search needs (id, protocol, mock, matched) and no bodies, headers or payloads.

import type { JournalEntry } from './types.ts';

export interface RequestLogLine {
  msg: string;
  id: string;
  protocol: string;
  mockId?: string;
  matched: boolean;
}

function describe(e: JournalEntry): string {
  if (e.http) return `${e.http.method} ${e.http.path} ${e.http.statusCode} ${e.http.durationMs.toFixed(1)}ms`;
  if (e.websocket) return `websocket ${e.websocket.direction} ${e.websocket.messageType} ${e.websocket.connectionId}`;
  if (e.sse) return `sse ${e.sse.kind}${e.sse.eventType ? ` ${e.sse.eventType}` : ''} ${e.sse.connectionId}`;
  if (e.mqtt) return `mqtt ${e.mqtt.direction} ${e.mqtt.topic} qos ${e.mqtt.qos} ${e.mqtt.clientId}`;
  if (e.grpc) {
    const g = e.grpc;
    return g.kind === 'call' ? `grpc ${g.method} status ${g.statusCode}` : `grpc ${g.method} message ${g.direction} ${g.streamId ?? ''}`.trimEnd();
  }
  return e.protocol;
}

export function requestLogLine(e: JournalEntry): RequestLogLine {
  const line: RequestLogLine = { msg: describe(e), id: e.id, protocol: e.protocol, matched: e.matched };
  if (e.mockId !== undefined) line.mockId = e.mockId;
  return line;
}
