// One card per protocol with its headline counters; a click shows that protocol's tab.

import { PROTOCOL_INFO } from '../protocols.ts';
import type { Tab } from '../rows.ts';
import { PROTOCOLS, type StatsByProtocol } from '../types.ts';

export function StatsCards({ stats, tab, onSelect }: { stats: StatsByProtocol; tab: Tab; onSelect: (tab: Tab) => void }) {
  return (
    <section class="cards" aria-label="Connection stats">
      {PROTOCOLS.map((p) => {
        const info = PROTOCOL_INFO[p];
        const s = stats[p];
        return (
          <button type="button" class={`card${tab === p ? ' selected' : ''}`} data-stats={p} key={p} onClick={() => onSelect(p)}>
            <h3>{info.label}</h3>
            {s ? (
              <dl>
                {info.cards(s).map((c) => (
                  <div key={c.label}>
                    <dt>{c.label}</dt>
                    <dd data-stat={c.label}>{c.value}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p class="muted">unavailable</p>
            )}
          </button>
        );
      })}
    </section>
  );
}
