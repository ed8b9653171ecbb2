// One data frame received from a client, as matchers and templates read it (contract §5). Its text and JSON are
// decoded lazily and at most once, so a message that only an `exact` matcher looks at is never JSON-parsed.

import type { WsFrameType } from './types.ts';

const NOT_JSON = Symbol('not JSON');

export class WsMessage {
  #text?: string;
  #json?: unknown;

  constructor(
    readonly data: Buffer,
    readonly isBinary: boolean,
  ) {}

  get type(): WsFrameType {
    return this.isBinary ? 'binary' : 'text';
  }

  /** The frame's bytes as UTF-8 text (string matchers compare against this, §5). */
  get text(): string {
    return (this.#text ??= this.data.toString('utf8'));
  }

  /** The parsed JSON value, or undefined when the text is not JSON. */
  get json(): { value: unknown } | undefined {
    if (this.#json === undefined) {
      try {
        this.#json = { value: JSON.parse(this.text) };
      } catch {
        this.#json = NOT_JSON;
      }
    }
    return this.#json === NOT_JSON ? undefined : (this.#json as { value: unknown });
  }
}
