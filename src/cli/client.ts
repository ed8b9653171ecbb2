// The CLI's admin API client: every command talks to a running `mockd start` through the admin REST API.

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    readonly code = 'error',
    /** The command already printed its outcome; only the exit code is left to set. */
    readonly reported = false,
  ) {
    super(message);
  }
}

export interface GlobalOptions {
  adminUrl?: string;
  apiKey?: string;
  json?: boolean;
}

export class AdminClient {
  readonly url: string;
  readonly #apiKey?: string;

  constructor(opts: GlobalOptions) {
    this.url = (opts.adminUrl ?? process.env.MOCKD_ADMIN_URL ?? 'http://127.0.0.1:4290').replace(/\/+$/, '');
    this.#apiKey = opts.apiKey ?? process.env.MOCKD_API_KEY;
  }

  /** Calls the admin API; an error body becomes CliError with its message, an unreachable API the contract's text. */
  async request<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#apiKey) headers['x-api-key'] = this.#apiKey;
    let res: Response;
    try {
      res = await fetch(this.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      throw new CliError(`cannot reach mockd admin API at ${this.url}: is \`mockd start\` running?`, 1, 'unreachable');
    }
    const text = await res.text();
    let data: any;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      data = text;
    }
    if (!res.ok) {
      const message = data && typeof data === 'object' && typeof data.message === 'string' ? data.message : `HTTP ${res.status}`;
      throw new CliError(message, 1, data?.error ?? 'error');
    }
    return data as T;
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown) => this.request<T>('POST', path, body);
  put = <T = any>(path: string, body?: unknown) => this.request<T>('PUT', path, body);
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);
}
