// The few admin API calls the bench makes against the mockd it started (contract §8.3): create mocks one at a time
// or in bulk, update one, and time a GET. Every call is bounded in time.

const CALL_TIMEOUT_MS = 30_000;

export class BenchAdmin {
  constructor(readonly url: string) {}

  async #call(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(this.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  /** POST /mocks; resolves with the stored mock (its id, and ports assigned for port 0). */
  async create(mock: unknown): Promise<{ id: string; [key: string]: any }> {
    return (await this.#call('POST', '/mocks', mock)).mock;
  }

  /** POST /mocks/bulk; fails unless every mock was stored. */
  async bulk(mocks: unknown[]): Promise<void> {
    const result = await this.#call('POST', '/mocks/bulk', mocks);
    if (result.created !== mocks.length) throw new Error(`bulk create stored ${result.created} of ${mocks.length} mocks`);
  }

  patch(id: string, body: unknown): Promise<unknown> {
    return this.#call('PATCH', `/mocks/${encodeURIComponent(id)}`, body);
  }

  /** DELETE /mocks/{id}. */
  delete(id: string): Promise<unknown> {
    return this.#call('DELETE', `/mocks/${encodeURIComponent(id)}`);
  }

  get(path: string): Promise<any> {
    return this.#call('GET', path);
  }
}
