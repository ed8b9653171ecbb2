// WebSocket journal entries into mocks (issue 21): one mock per recorded path, whose scenario replays the first
// recorded conversation on it. A client message becomes an `expect` of exactly that message; each server message
// becomes a `send`, after a `wait` of its recorded gap from the frame before it, so an answer keeps its delay after
// the question and a push keeps its offset from the connection's start (the first frame's time).

import type { JournalEntry } from '../journal/types.ts';
import type { WebSocketSpec } from '../mocks/types.ts';
import type { MockInput } from '../mocks/schema/index.ts';
import type { GapScale } from './timing.ts';

type Step = NonNullable<WebSocketSpec['scenario']>['steps'][number];

export function websocketMocksOf(entries: readonly JournalEntry[], scale: GapScale, pathOf: (mockId: string) => string | undefined): MockInput[] {
  const conversations = new Map<string, { path: string; last: number | undefined; steps: Step[] }>();
  const byPath = new Map<string, string>();
  for (const e of entries) {
    if (e.protocol !== 'websocket' || !e.websocket || e.mockId === undefined) continue;
    const w = e.websocket;
    let conv = conversations.get(w.connectionId);
    if (!conv) {
      const path = w.path ?? pathOf(e.mockId);
      if (path === undefined || byPath.has(path)) continue;
      byPath.set(path, w.connectionId);
      conversations.set(w.connectionId, (conv = { path, last: undefined, steps: [] }));
    }
    const t = Date.parse(e.timestamp);
    const gap = conv.last === undefined ? 0 : scale(t - conv.last);
    conv.last = t;
    if (w.direction === 'in') {
      conv.steps.push({
        type: 'expect',
        match: w.messageType === 'binary' ? { type: 'contains', value: '', messageType: 'binary' } : { type: 'exact', value: w.data, messageType: 'text' },
      });
      continue;
    }
    if (gap > 0) conv.steps.push({ type: 'wait', duration: gap });
    conv.steps.push({ type: 'send', message: { type: w.messageType === 'binary' ? 'binary' : 'text', value: w.data } });
  }
  return [...conversations.values()]
    .filter((c) => c.steps.length > 0)
    .map((c) => ({ type: 'websocket', name: `snapshot WS ${c.path}`, description: '', enabled: true, websocket: { path: c.path, scenario: { name: 'recorded', steps: c.steps } } }) as MockInput);
}
