// Journal entries as `GET /requests` and the `request` events of `/events?requests=true` carry them (contract §12).

export type JournalProtocol = 'http' | 'websocket' | 'sse' | 'mqtt' | 'grpc';
export const JOURNAL_PROTOCOLS: readonly JournalProtocol[] = ['http', 'sse', 'websocket', 'mqtt', 'grpc'];

export interface NearMiss {
  mockId: string;
  mockName?: string;
  matchPercentage: number;
  reason: string;
}

export interface JournalEntry {
  id: string;
  timestamp: string;
  protocol: JournalProtocol;
  mockId?: string;
  matched: boolean;
  bodyTruncated?: true;
  http?: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: string; statusCode: number; durationMs: number; nearMisses?: NearMiss[] };
  websocket?: { connectionId: string; direction: 'in' | 'out'; messageType: 'text' | 'binary'; data: string };
  sse?: { connectionId: string; kind: 'open' | 'event'; eventType?: string; eventId?: string; data?: string };
  mqtt?: { clientId: string; direction: 'in' | 'out'; topic: string; qos: number; retain: boolean; payload: string; payloadEncoding?: 'base64' };
  grpc?: { method: string; streamType: string; streamId?: string; kind: 'call' | 'message'; direction?: 'in' | 'out'; statusCode?: number; body?: unknown; metadata?: Record<string, string> };
}

/** The server-side filter keys of `GET /requests` (§12); empty strings mean "any". */
export interface JournalQuery {
  protocol?: string;
  mockId?: string;
  matched?: string;
  connectionId?: string;
  topic?: string;
  method?: string;
  path?: string;
}

/** `{"mockId","callCount","lastCalledAt"?}` of `GET /mocks/{id}/verify`. */
export interface VerifyCount {
  callCount: number;
  lastCalledAt?: string;
}
