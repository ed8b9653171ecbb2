// mockd's TLS at run time (README "TLS"): the settings from the flags, the material now in use, and the reload that
// `POST /tls/reload` and SIGHUP run. server.ts builds it; the coordinator pushes new material to the workers.

import { MockdError } from '../errors.ts';
import type { TlsMaterial } from '../contract/tls.ts';
import { PemFileError } from '../util/pem-files.ts';
import { loadTlsMaterial, type TlsSettings } from './material.ts';

export class TlsState {
  #material: TlsMaterial & { caKey?: string };

  private constructor(
    readonly settings: TlsSettings,
    material: TlsMaterial & { caKey?: string },
  ) {
    this.#material = material;
  }

  /** Loads or makes the material; rejects with an Error whose message names the bad file. */
  static async load(settings: TlsSettings): Promise<TlsState> {
    return new TlsState(settings, await loadTlsMaterial(settings));
  }

  /** What the workers get: the material without the CA's private key. */
  get material(): TlsMaterial {
    const { caKey: _caKey, ...rest } = this.#material;
    return rest;
  }

  /** The CA clients should trust: the generated one, or undefined with `--tls-cert` files. */
  get caPem(): string | undefined {
    return this.#material.ca;
  }

  /** Reads the files again (or issues a new server certificate from the generated CA); a bad file is a 400. */
  async reload(): Promise<TlsMaterial> {
    const ca = this.#material.ca && this.#material.caKey ? { cert: this.#material.ca, key: this.#material.caKey } : undefined;
    try {
      this.#material = await loadTlsMaterial(this.settings, { ca });
    } catch (err) {
      if (err instanceof PemFileError) throw new MockdError('validation_error', `TLS reload failed: ${err.message}`, 'tls');
      throw new MockdError('validation_error', `TLS reload failed: ${(err as Error).message}`, 'tls');
    }
    return this.material;
  }
}
