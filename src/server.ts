// `mockd start` as a function: coordinator + workers + admin API, ready when the promise resolves.

import { dirname, resolve } from 'node:path';
import { Coordinator, type Logger } from './coordinator/coordinator.ts';
import { createAdminApp } from './admin/app.ts';
import { serveAdmin, type AdminServer } from './admin/server.ts';
import { resolveDataDir } from './mocks/persistence.ts';
import { resolveWorkerCount, type WorkersOption } from './coordinator/worker-count.ts';
import { createPinoLogger, type LogFormat, type LogLevel } from './util/logger.ts';

export interface StartOptions {
  port?: number;
  adminPort?: number;
  host?: string;
  config?: string;
  /** Contract files to import at startup (issue 22), each a path and an optional format. */
  imports?: { path: string; format?: string }[];
  dataDir?: string;
  persist?: boolean;
  apiKey?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  maxSseStreams?: number;
  /** Live WebSocket clients, MQTT clients and gRPC streams allowed per protocol (default 0 = unlimited). */
  maxConnections?: number;
  journalSize?: number;
  corsOrigins?: string[];
  /** Time a client has to send its request headers, on the mock port and the admin port (default 10 s). */
  headersTimeoutMs?: number;
  /** Time a client has to send its whole request on the mock port (`--read-timeout`; default 60 s). */
  readTimeoutMs?: number;
  /** Time an HTTP response on the mock port may take, SSE streams excepted (`--write-timeout`; default none). */
  writeTimeoutMs?: number;
  /** False (`--no-metrics`): the workers keep no counters; `/metrics` shows process metrics only (issue 23). */
  metrics?: boolean;
  /** `text` (default) or `json`: one JSON object per log line on stderr. */
  logFormat?: LogFormat;
  /** `--log-requests`: one info line per journaled request, message or call, from the worker that served it. */
  logRequests?: boolean;
  /**
   * Members per worker pool (`--workers`, README "Workers"): N http workers share the mock port and N grpc workers
   * each gRPC mock's port; MQTT brokers spread over up to N mqtt workers. Default `auto`: the available parallelism,
   * at most 8, where the runtime can share a port (Linux, Node >= 22.12), else 1.
   */
  workers?: WorkersOption;
}

export interface RunningMockd {
  mockUrl: string;
  adminUrl: string;
  mockPort: number;
  adminPort: number;
  coordinator: Coordinator;
  close(): Promise<void>;
}

export type { LogFormat } from './util/logger.ts';

/** The coordinator's log function over pino (src/util/logger.ts): text or JSON lines on stderr. */
export function createLogger(level: LogLevel = 'info', format: LogFormat = 'text'): Logger {
  const logger = createPinoLogger({ level, format });
  return (lvl, message) => logger[lvl](message);
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startMockd(opts: StartOptions = {}): Promise<RunningMockd> {
  const host = opts.host ?? '127.0.0.1';
  const log = createLogger(opts.logLevel ?? 'info', opts.logFormat);
  const config = opts.config ? resolve(opts.config) : undefined;
  const { workers, note } = resolveWorkerCount(opts.workers);
  if (note) log('info', note);
  const coordinator = new Coordinator(
    {
      host,
      port: opts.port ?? 4280,
      configPath: config,
      imports: opts.imports?.map((i) => ({ ...i, path: resolve(i.path) })),
      dataDir: config ? undefined : resolveDataDir(opts.dataDir),
      persist: opts.persist ?? true,
      maxSseStreams: opts.maxSseStreams ?? 100,
      maxConnections: opts.maxConnections ?? 0,
      journalSize: opts.journalSize ?? 10000,
      logLevel: opts.logLevel ?? 'info',
      metrics: opts.metrics,
      logFormat: opts.logFormat,
      logRequests: opts.logRequests,
      baseDir: config ? dirname(config) : process.cwd(),
      headersTimeoutMs: opts.headersTimeoutMs,
      requestTimeoutMs: opts.readTimeoutMs,
      writeTimeoutMs: opts.writeTimeoutMs,
      workers,
    },
    log,
  );
  let admin: AdminServer | undefined;
  try {
    admin = await serveAdmin(
      createAdminApp(coordinator, { host, apiKey: opts.apiKey || undefined, corsOrigins: opts.corsOrigins }),
      host,
      opts.adminPort ?? 4290,
      opts.headersTimeoutMs ?? 10_000,
    );
    coordinator.adminPort = admin.port;
    await coordinator.start();
  } catch (err) {
    await coordinator.close().catch(() => undefined);
    await admin?.close().catch(() => undefined);
    throw err;
  }
  const mockPort = await coordinator.mockPort();
  let closing: Promise<void> | undefined;
  return {
    mockUrl: `http://${urlHost(host)}:${mockPort}`,
    adminUrl: `http://${urlHost(host)}:${admin.port}`,
    mockPort,
    adminPort: admin.port,
    coordinator,
    close() {
      closing ??= (async () => {
        await coordinator.close();
        await admin!.close();
      })();
      return closing;
    },
  };
}
