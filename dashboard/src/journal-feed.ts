// A live window on the journal (contract §12): the newest `max` entries matching a server-side filter, loaded from
// `GET /requests` and kept current from the `/events` stream. A `request` event only says that something arrived;
// the feed then asks for what is new (`since=<newest id>`) under its own filter, so the server's filter rules apply,
// and entries the stream sampled away or missed while it was down are picked up too.

import { api, describeError } from './api.ts';
import type { JournalEntry, JournalQuery } from './journal-types.ts';
import type { LiveStore } from './live-store.ts';
import { Observable } from './observable.ts';

export interface FeedState {
  /** Oldest first. */
  entries: JournalEntry[];
  /** Matching entries in the whole journal. */
  total: number;
  loaded: boolean;
  error?: string;
}

const CATCH_UP_DELAY_MS = 100;

type Page = { requests: JournalEntry[]; count: number; total: number };

function toSearch(q: JournalQuery, extra: Record<string, string | number>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) params.set(k, String(v));
  for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
  return params.toString();
}

export class JournalFeed extends Observable<FeedState> {
  #query: JournalQuery = {};
  #generation = 0;
  #timer?: ReturnType<typeof setTimeout>;
  #busy = false;
  #again = false;
  #stopListening?: () => void;

  constructor(
    private readonly store: LiveStore,
    private readonly max = 300,
  ) {
    super({ entries: [], total: 0, loaded: false });
  }

  start(query: JournalQuery): void {
    this.#stopListening ??= this.store.onRequest(() => this.#schedule());
    this.setQuery(query);
  }

  stop(): void {
    this.#stopListening?.();
    this.#stopListening = undefined;
    clearTimeout(this.#timer);
    this.#generation++;
  }

  setQuery(query: JournalQuery): void {
    this.#query = query;
    const generation = ++this.#generation;
    this.set({ entries: [], total: 0, loaded: false });
    void this.#loadNewest(generation);
  }

  /** Reloads the window from scratch (after the journal was cleared, say). */
  reload(): void {
    this.setQuery(this.#query);
  }

  async #loadNewest(generation: number): Promise<void> {
    try {
      const head = await api<Page>(`/requests?${toSearch(this.#query, { limit: 0 })}`);
      const offset = Math.max(0, head.total - this.max);
      const page = await api<Page>(`/requests?${toSearch(this.#query, { limit: this.max, offset })}`);
      if (generation !== this.#generation) return;
      this.set({ entries: page.requests, total: page.total, loaded: true });
    } catch (err) {
      if (generation === this.#generation) this.set({ ...this.value, loaded: true, error: describeError(err) });
    }
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#catchUp();
    }, CATCH_UP_DELAY_MS);
  }

  async #catchUp(): Promise<void> {
    if (!this.value.loaded) return this.#schedule();
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    const generation = this.#generation;
    try {
      const newest = this.value.entries.at(-1)?.id;
      const page = await api<Page>(`/requests?${toSearch(this.#query, newest ? { since: newest, limit: this.max } : { limit: this.max })}`);
      if (generation !== this.#generation || page.requests.length === 0) return;
      const seen = new Set(this.value.entries.map((e) => e.id));
      const fresh = page.requests.filter((e) => !seen.has(e.id));
      const entries = [...this.value.entries, ...fresh].slice(-this.max);
      this.set({ entries, total: this.value.total + fresh.length, loaded: true, error: undefined });
    } catch (err) {
      if (generation === this.#generation) this.set({ ...this.value, error: describeError(err) });
    } finally {
      this.#busy = false;
      if (this.#again) {
        this.#again = false;
        this.#schedule();
      }
    }
  }
}
