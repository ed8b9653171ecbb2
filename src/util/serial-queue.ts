// Runs async tasks one after another: a task starts when the previous one has settled, and a failed task does not
// block the next. Used wherever two changes must never interleave (mock writes, a protocol host's listeners).

export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
