// The progress display on stderr (stdout stays clean for the table or --json). On a terminal the current step is
// rewritten in place; otherwise each step is its own line, so CI logs show how far a run got.

export class Progress {
  readonly #out: NodeJS.WriteStream;
  readonly #started = Date.now();
  #transient = false;

  constructor(out: NodeJS.WriteStream = process.stderr) {
    this.#out = out;
  }

  #elapsed(): string {
    const s = Math.floor((Date.now() - this.#started) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }

  /** What is running now. */
  step(text: string): void {
    const line = `[bench ${this.#elapsed()}] ${text}`;
    if (this.#out.isTTY) {
      this.#out.write(`\r\x1b[K${line.slice(0, (this.#out.columns || 120) - 1)}`);
      this.#transient = true;
    } else {
      this.#out.write(`${line}\n`);
    }
  }

  /** A line that stays (a finished row, a warning). */
  line(text: string): void {
    if (this.#transient) this.#out.write('\r\x1b[K');
    this.#transient = false;
    this.#out.write(`[bench ${this.#elapsed()}] ${text}\n`);
  }

  end(): void {
    if (this.#transient) this.#out.write('\r\x1b[K');
    this.#transient = false;
  }
}
