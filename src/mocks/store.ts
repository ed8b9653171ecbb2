// The in-memory mock store. Insertion order is creation order, so listing "oldest first" needs no sort.
// Plain data only: no sockets, no timers. Persistence is a listener on changes (see persistence.ts).

import type { Mock, MockType } from './types.ts';
import { isSseMock } from './types.ts';

export interface MockFilter {
  type?: string;
  enabled?: boolean;
  search?: string;
}

function searchText(mock: Mock): string {
  const parts = [mock.id, mock.name];
  if (mock.http) parts.push(mock.http.matcher.path ?? mock.http.matcher.pathPattern ?? '');
  if (mock.websocket) parts.push(mock.websocket.path);
  return parts.join('\n').toLowerCase();
}

export class MockStore {
  readonly #mocks = new Map<string, Mock>();

  get size(): number {
    return this.#mocks.size;
  }

  get(id: string): Mock | undefined {
    return this.#mocks.get(id);
  }

  has(id: string): boolean {
    return this.#mocks.has(id);
  }

  all(): Mock[] {
    return [...this.#mocks.values()];
  }

  ofType(type: MockType): Mock[] {
    return this.all().filter((m) => m.type === type);
  }

  /** Adds or replaces; a replaced mock keeps its position (creation order). */
  set(mock: Mock): void {
    this.#mocks.set(mock.id, mock);
  }

  delete(id: string): boolean {
    return this.#mocks.delete(id);
  }

  clear(): void {
    this.#mocks.clear();
  }

  list(filter: MockFilter = {}): Mock[] {
    const search = filter.search?.toLowerCase();
    return this.all().filter((m) => {
      if (filter.type !== undefined) {
        // `sse` is not a mock type, but filtering by it finds SSE mocks, as users expect from `mockd list -t sse`.
        if (filter.type === 'sse' ? !isSseMock(m) : m.type !== filter.type) return false;
      }
      if (filter.enabled !== undefined && m.enabled !== filter.enabled) return false;
      if (search && !searchText(m).includes(search)) return false;
      return true;
    });
  }
}
