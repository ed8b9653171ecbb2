// HTTP and SSE journal entries into mocks (issue 21). One mock per distinct request (method, path, query and body),
// in the order first seen; identical answers collapse into one response, differing ones become an `http.sequence`.
// One SSE mock per recorded path, with its events and their gaps.

import type { JournalEntry } from '../journal/types.ts';
import type { HttpResponse, SseEvent } from '../mocks/types.ts';
import type { MockInput } from '../mocks/schema/index.ts';
import type { GapScale } from './timing.ts';

/** Never replayed: they describe one connection or one transfer (RFC 9110 §7.6.1), or are recomputed. */
const DROPPED_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length', 'date']);

function responseOf(e: JournalEntry, scale: GapScale): HttpResponse {
  const h = e.http!;
  const response: HttpResponse = { statusCode: h.statusCode };
  if (h.responseHeaders !== undefined) {
    const headers = Object.fromEntries(Object.entries(h.responseHeaders).filter(([k]) => !DROPPED_HEADERS.has(k.toLowerCase())));
    if (Object.keys(headers).length > 0) response.headers = headers;
  }
  if (h.responseBody !== undefined && h.responseBody !== '') response.body = h.responseBody;
  const delayMs = Math.min(30_000, scale(h.durationMs));
  if (delayMs > 0) response.delayMs = delayMs;
  return response;
}

function sameAnswer(a: HttpResponse, b: HttpResponse): boolean {
  return a.statusCode === b.statusCode && a.body === b.body && JSON.stringify(a.headers ?? {}) === JSON.stringify(b.headers ?? {});
}

export function httpMocksOf(entries: readonly JournalEntry[], scale: GapScale): MockInput[] {
  const groups = new Map<string, { entry: JournalEntry; answers: HttpResponse[]; comparable: HttpResponse[] }>();
  for (const e of entries) {
    if (e.protocol !== 'http' || e.mockId === undefined || !e.http) continue;
    const h = e.http;
    const query = Object.entries(h.query).sort(([a], [b]) => a.localeCompare(b));
    const key = JSON.stringify([h.method.toUpperCase(), h.path, query, h.body]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { entry: e, answers: [], comparable: [] }));
    group.answers.push(responseOf(e, scale));
    // Repeats are compared without their delays, which always differ a little.
    group.comparable.push(responseOf(e, () => 0));
  }
  return [...groups.values()].map(({ entry, answers, comparable }) => {
    const h = entry.http!;
    const matcher: Record<string, unknown> = { method: h.method.toUpperCase(), path: h.path };
    if (Object.keys(h.query).length > 0) matcher.queryParams = h.query;
    if (h.body !== '') matcher.bodyEquals = h.body;
    const allSame = comparable.every((a) => sameAnswer(a, comparable[0]!));
    const spec = allSame ? { matcher, response: answers[0]! } : { matcher, sequence: answers };
    return { type: 'http', name: `snapshot ${h.method.toUpperCase()} ${h.path}`, description: `recorded from ${entry.mockId}`, enabled: true, http: spec } as MockInput;
  });
}

/** `pathOf(mockId)`: the path of a non-proxied stream, read from its mock (proxied entries carry their own). */
export function sseMocksOf(entries: readonly JournalEntry[], scale: GapScale, pathOf: (mockId: string) => string | undefined): MockInput[] {
  const streams = new Map<string, { path: string; opened: number; last: number; events: SseEvent[] }>();
  const byPath = new Set<string>();
  for (const e of entries) {
    if (e.protocol !== 'sse' || !e.sse || e.mockId === undefined) continue;
    const t = Date.parse(e.timestamp);
    if (e.sse.kind === 'open') {
      const path = e.sse.path ?? pathOf(e.mockId);
      // One mock per recorded path: the first stream on it is the one replayed.
      if (path === undefined || byPath.has(path)) continue;
      byPath.add(path);
      streams.set(e.sse.connectionId, { path, opened: t, last: t, events: [] });
      continue;
    }
    const stream = streams.get(e.sse.connectionId);
    if (!stream) continue;
    const event: SseEvent = { data: e.sse.data ?? '' };
    if (e.sse.eventType !== undefined && e.sse.eventType !== 'message') event.type = e.sse.eventType;
    if (e.sse.eventId !== undefined) event.id = e.sse.eventId;
    event.delay = scale(t - stream.last);
    stream.last = t;
    stream.events.push(event);
  }
  return [...streams.values()]
    .filter((s) => s.events.length > 0)
    .map((s) => ({ type: 'http', name: `snapshot SSE ${s.path}`, description: '', enabled: true, http: { matcher: { method: 'GET', path: s.path }, sse: { events: s.events } } }) as MockInput);
}
