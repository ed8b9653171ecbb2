// Calls per mock as `GET /mocks/{id}/verify` counts them (contract §12): an HTTP request, a gRPC call, an SSE stream,
// a WebSocket frame or an MQTT PUBLISH received that the mock handled. Refetched at most once a second while
// journal entries arrive, and when the mock list changes.

import { api } from './api.ts';
import type { VerifyCount } from './journal-types.ts';
import type { LiveStore } from './live-store.ts';
import { Observable } from './observable.ts';

const REFRESH_MS = 1000;

export class VerifyCounts extends Observable<Map<string, VerifyCount>> {
  #timer?: ReturnType<typeof setTimeout>;
  #stop?: () => void;
  #ids: string[] = [];

  constructor(private readonly store: LiveStore) {
    super(new Map());
  }

  start(): void {
    if (this.#stop) return;
    const offRequest = this.store.onRequest(() => this.#schedule());
    const offStore = this.store.subscribe((s) => {
      const ids = s.mocks.map((m) => m.id);
      if (ids.join() !== this.#ids.join()) this.#schedule();
    });
    this.#stop = () => {
      offRequest();
      offStore();
    };
    void this.#load();
  }

  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#timer || !this.#stop) return;
    this.#timer = setTimeout(() => void this.#load(), REFRESH_MS);
  }

  async #load(): Promise<void> {
    const ids = this.store.get().mocks.map((m) => m.id);
    this.#ids = ids;
    const results = await Promise.allSettled(ids.map((id) => api<VerifyCount>(`/mocks/${encodeURIComponent(id)}/verify`)));
    this.#timer = undefined;
    const next = new Map<string, VerifyCount>();
    results.forEach((r, i) => r.status === 'fulfilled' && next.set(ids[i]!, r.value));
    this.set(next);
  }
}
