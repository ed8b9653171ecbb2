// The admin API key (contract §8.1), asked for once and kept for the browser tab in sessionStorage.

import { Observable } from './observable.ts';

const STORAGE_KEY = 'mockd.apiKey';

class ApiKeyStore {
  /** Why the key is needed, while the key form should be shown; undefined otherwise. */
  readonly prompt = new Observable<string | undefined>(undefined);
  /** Bumped when a new key is saved, so data and the event stream reload with it. */
  readonly generation = new Observable(0);

  get(): string | null {
    return sessionStorage.getItem(STORAGE_KEY);
  }

  save(key: string): void {
    sessionStorage.setItem(STORAGE_KEY, key);
    this.prompt.set(undefined);
    this.generation.set(this.generation.get() + 1);
  }

  request(reason: string): void {
    if (this.prompt.get() === undefined) this.prompt.set(reason);
  }
}

export const apiKey = new ApiKeyStore();
