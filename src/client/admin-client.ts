// A typed client for the admin API, for test suites and scripts that drive mockd from code. Every method is one
// admin route (contract §8, §9, §12); an error answer rejects with a MockdError carrying the contract's code.

import { MockdError, isErrorCode } from '../errors.ts';
import type { Mock, MockType } from '../mocks/types.ts';
import type { Protocol } from '../contract/protocols.ts';
import type { ChaosConfig, ConnectionFault } from '../contract/faults.ts';
import { PROTOCOL_PROFILES } from '../contract/profiles.ts';
import type { JournalEntry, JournalFilter } from '../journal/types.ts';

export interface WriteResult {
  id: string;
  action: 'created' | 'updated' | 'toggled';
  message: string;
  mock: Mock;
}

export type MockInput = Partial<Omit<Mock, 'createdAt' | 'updatedAt'>> & Record<string, unknown>;

type WaitFilter = Omit<JournalFilter, 'since' | 'callsOnly'> & { since?: string };

export class MockdClient {
  readonly url: string;
  readonly #headers: Record<string, string>;

  constructor(adminUrl = 'http://127.0.0.1:4290', options: { apiKey?: string } = {}) {
    this.url = adminUrl.replace(/\/+$/, '');
    this.#headers = options.apiKey ? { 'x-api-key': options.apiKey } : {};
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.url + path, {
      method,
      headers: body === undefined ? this.#headers : { ...this.#headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) {
      const code = isErrorCode(data?.error) ? data.error : 'internal_error';
      throw new MockdError(code, data?.message ?? `HTTP ${res.status}`, data?.field);
    }
    return data as T;
  }

  /** `GET /mocks`: oldest first. */
  listMocks(filter: { type?: MockType | 'sse'; enabled?: boolean; search?: string } = {}): Promise<{ mocks: Mock[]; total: number; count: number }> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
    return this.#call('GET', `/mocks${q.size ? `?${q}` : ''}`);
  }

  /** `POST /mocks`: resolves once the mock is live (its listener bound, its worker serving it). */
  createMock(mock: MockInput): Promise<WriteResult> {
    return this.#call('POST', '/mocks', mock);
  }

  getMock(id: string): Promise<Mock> {
    return this.#call('GET', `/mocks/${encodeURIComponent(id)}`);
  }

  /** `PUT /mocks/{id}`: resolves once the new version serves and the old version's connections are closed. */
  updateMock(id: string, mock: MockInput): Promise<WriteResult> {
    return this.#call('PUT', `/mocks/${encodeURIComponent(id)}`, mock);
  }

  patchMock(id: string, patch: Record<string, unknown>): Promise<WriteResult> {
    return this.#call('PATCH', `/mocks/${encodeURIComponent(id)}`, patch);
  }

  toggleMock(id: string): Promise<WriteResult> {
    return this.#call('POST', `/mocks/${encodeURIComponent(id)}/toggle`);
  }

  async deleteMock(id: string): Promise<void> {
    await this.#call('DELETE', `/mocks/${encodeURIComponent(id)}`);
  }

  async deleteAllMocks(type?: MockType): Promise<void> {
    await this.#call('DELETE', `/mocks${type ? `?type=${type}` : ''}`);
  }

  /** Live connections of a protocol (gRPC: streams). */
  async connections(protocol: Protocol): Promise<Record<string, unknown>[]> {
    const profile = PROTOCOL_PROFILES[protocol];
    const data = await this.#call<Record<string, Record<string, unknown>[]>>('GET', profile.routes.list);
    return data[profile.listKey]!;
  }

  /** Resolves once the connection is closed and gone from every listing. */
  async closeConnection(protocol: Protocol, id: string): Promise<void> {
    await this.#call('DELETE', `${PROTOCOL_PROFILES[protocol].routes.list}/${encodeURIComponent(id)}`);
  }

  /** `POST /<protocol>/connections/{id}/fault`: resolves once the fault is applied (README "Faults and chaos"). */
  async faultConnection(protocol: Protocol, id: string, fault: ConnectionFault): Promise<void> {
    await this.#call('POST', `${PROTOCOL_PROFILES[protocol].routes.list}/${encodeURIComponent(id)}/fault`, fault);
  }

  /** `DELETE /<protocol>/connections/{id}/fault`: resolves once the connection's lasting faults are lifted. */
  async liftConnectionFault(protocol: Protocol, id: string): Promise<void> {
    await this.#call('DELETE', `${PROTOCOL_PROFILES[protocol].routes.list}/${encodeURIComponent(id)}/fault`);
  }

  /** `GET /chaos`. */
  chaos(): Promise<ChaosConfig> {
    return this.#call('GET', '/chaos');
  }

  /** `PUT /chaos`: resolves once every worker applies the configuration. */
  setChaos(config: Partial<ChaosConfig>): Promise<ChaosConfig> {
    return this.#call('PUT', '/chaos', config);
  }

  /** `POST /chaos/profiles/{name}/apply`: resolves with the configuration now live. */
  applyChaosProfile(name: string): Promise<ChaosConfig> {
    return this.#call('POST', `/chaos/profiles/${encodeURIComponent(name)}/apply`);
  }

  stats(protocol: Protocol): Promise<Record<string, unknown>> {
    return this.#call('GET', PROTOCOL_PROFILES[protocol].routes.stats);
  }

  /** `GET /requests`: journal entries, oldest first. */
  requests(filter: WaitFilter & { limit?: number; offset?: number } = {}): Promise<{ requests: JournalEntry[]; count: number; total: number }> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
    return this.#call('GET', `/requests${q.size ? `?${q}` : ''}`);
  }

  /** `POST /requests/wait`: resolves as soon as `count` matching entries arrived after the call, or at the timeout. */
  waitFor(filter: WaitFilter, options: { count?: number; timeoutMs?: number } = {}): Promise<{ passed: boolean; requests: JournalEntry[] }> {
    return this.#call('POST', '/requests/wait', { filter, ...options });
  }

  verify(mockId: string, condition: { atLeast?: number; atMost?: number; exactly?: number; never?: true; valid?: boolean }): Promise<{ passed: boolean; actual: number; expected: string; message: string }> {
    return this.#call('POST', `/mocks/${encodeURIComponent(mockId)}/verify`, condition);
  }

  async clearRequests(): Promise<void> {
    await this.#call('DELETE', '/requests');
  }
}
