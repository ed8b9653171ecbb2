// A connection's recent frames, events or messages from the journal (contract §12: `connectionId` matches a
// WebSocket or SSE connection id, an MQTT client id or a gRPC stream id), newest first and live.

import { useEffect, useMemo } from 'preact/hooks';
import { JournalFeed } from '../journal-feed.ts';
import { prettyBody } from '../journal-summary.ts';
import type { JournalEntry } from '../journal-types.ts';
import type { LiveStore } from '../live-store.ts';
import { useObservable } from '../observable.ts';
import type { Protocol } from '../types.ts';

const RECENT = 20;

function describe(e: JournalEntry): { direction: string; text: string; note?: string } {
  if (e.websocket) return { direction: e.websocket.direction, text: e.websocket.data, note: e.websocket.messageType === 'binary' ? 'binary, base64' : undefined };
  if (e.sse) return { direction: 'out', text: e.sse.kind === 'open' ? 'stream opened' : (e.sse.data ?? ''), note: e.sse.eventType };
  if (e.mqtt) return { direction: e.mqtt.direction, text: e.mqtt.payload, note: `${e.mqtt.topic} qos${e.mqtt.qos}` };
  if (e.grpc) return { direction: e.grpc.direction ?? '', text: e.grpc.kind === 'call' ? `call ended, status ${e.grpc.statusCode}` : prettyBody(e.grpc.body) };
  return { direction: '', text: '' };
}

export function ConnectionTraffic({ store, protocol, id }: { store: LiveStore; protocol: Protocol; id: string }) {
  const feed = useMemo(() => new JournalFeed(store, RECENT), [store]);
  useEffect(() => {
    feed.start({ connectionId: id, protocol });
    return () => feed.stop();
  }, [feed, id, protocol]);
  const { entries, loaded } = useObservable(feed);
  const noun = protocol === 'sse' ? 'events' : protocol === 'mqtt' ? 'messages' : protocol === 'grpc' ? 'messages' : 'frames';
  return (
    <section class="traffic" aria-label="Recent traffic">
      <div class="label">Recent {noun} (journal)</div>
      {loaded && entries.length === 0 && <p class="muted small">None recorded yet.</p>}
      <ol class="frames">
        {[...entries].reverse().map((e) => {
          const d = describe(e);
          return (
            <li key={e.id} data-entry-id={e.id} class={`frame ${d.direction}`}>
              <span class="dir" title={d.direction === 'in' ? 'from the client' : 'to the client'}>{d.direction === 'in' ? '→' : '←'}</span>
              <code class="frame-text">{d.text}</code>
              {d.note && <span class="muted small"> {d.note}</span>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
