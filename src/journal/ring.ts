/** A fixed-capacity ring: push drops the oldest item once full. Capacity 0 keeps nothing. */
export class Ring<T> {
  #items: (T | undefined)[];
  #start = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    this.#items = new Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.#size < this.capacity) {
      this.#items[(this.#start + this.#size) % this.capacity] = item;
      this.#size++;
    } else {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % this.capacity;
    }
  }

  /** The item the next push will drop (the oldest, once full), so a caller can refill it instead of allocating. */
  get evictee(): T | undefined {
    return this.capacity > 0 && this.#size === this.capacity ? this.#items[this.#start] : undefined;
  }

  /** Oldest first. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.#size; i++) yield this.#items[(this.#start + i) % this.capacity]!;
  }

  /** Keeps only the items for which `keep` is true, in order; returns how many were removed. */
  retain(keep: (item: T) => boolean): number {
    const kept = [...this].filter(keep);
    const removed = this.#size - kept.length;
    this.#items = new Array(this.capacity);
    kept.forEach((item, i) => (this.#items[i] = item));
    this.#start = 0;
    this.#size = kept.length;
    return removed;
  }

  clear(): void {
    this.#items = new Array(this.capacity);
    this.#start = 0;
    this.#size = 0;
  }
}
