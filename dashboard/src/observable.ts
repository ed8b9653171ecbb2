// A value that components can watch: the dashboard's only state primitive, small enough to need no library.

import { useEffect, useState } from 'preact/hooks';

export class Observable<T> {
  readonly #listeners = new Set<(value: T) => void>();

  constructor(protected value: T) {}

  get(): T {
    return this.value;
  }

  set(value: T): void {
    this.value = value;
    for (const l of this.#listeners) l(value);
  }

  subscribe(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** Re-renders the component whenever the observable changes. */
export function useObservable<T>(o: Observable<T>): T {
  const [value, setValue] = useState(o.get());
  useEffect(() => {
    setValue(o.get());
    return o.subscribe(setValue);
  }, [o]);
  return value;
}
