// `mockd start` as a function: coordinator + workers + admin API, ready when the promise resolves.

import { dirname, join, resolve } from 'node:path';
import type { ClientAuth } from './contract/tls.ts';
import { TlsState } from './tls/state.ts';
import { wantsTls } from './tls/material.ts';
import { Coordinator, type Logger } from './coordinator/coordinator.ts';
import { createAdminApp } from './admin/app.ts';
import { serveAdmin, type AdminServer } from './admin/server.ts';
import { resolveDataDir } from './mocks/persistence.ts';
import { resolveWorkerCount, type WorkersOption } from './coordinator/worker-count.ts';
import type { RunningCluster } from './cluster/cluster.ts';
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
  /** Cluster mode (README "Cluster mode"): `redis://host:port[/db]` of the Redis the replicas share. */
  cluster?: string;
  /** Key prefix in that Redis, so several clusters can share one (default `mockd`). */
  clusterPrefix?: string;
  /** This replica's name in the cluster (default `<hostname>-<admin port>`). */
  replicaId?: string;
  /** `--tls-cert`/`--tls-key` PEM files, or `--tls-auto` (README "TLS"). */
  tlsCert?: string;
  tlsKey?: string;
  tlsAuto?: boolean;
  /** `--https-port` (0 = pick; unset = no HTTPS port). */
  httpsPort?: number;
  /** `--mtls-ca` and `--mtls-client-auth` for the HTTPS port. */
  mtlsCa?: string;
  mtlsClientAuth?: ClientAuth;
  /** `--admin-tls`: the admin API over HTTPS with the same certificate. */
  adminTls?: boolean;
}

export interface RunningMockd {
  mockUrl: string;
  adminUrl: string;
  mockPort: number;
  adminPort: number;
  /** `https://…` of the HTTPS port, when there is one. */
  httpsUrl?: string;
  httpsPort?: number;
  coordinator: Coordinator;
  close(): Promise<void>;
}

export type { LogFormat } from './util/logger.ts';

/** The coordinator's log function over pino (src/util/logger.ts): text or JSON lines on stderr. */
export function createLogger(level: LogLevel = 'info', format: LogFormat = 'text'): Logger {
  const logger = createPinoLogger({ level, format });
  return (lvl, message) => logger[lvl](message);
}

/** The TLS material of the flags, or undefined without any; a bad file rejects with a message naming it. */
async function loadTls(opts: StartOptions, host: string, config: string | undefined): Promise<TlsState | undefined> {
  if (!wantsTls({ certFile: opts.tlsCert, keyFile: opts.tlsKey, auto: opts.tlsAuto })) {
    if (opts.mtlsCa) throw new Error('--mtls-ca needs a server certificate: give --tls-auto, or --tls-cert and --tls-key');
    return undefined;
  }
  // Generated certificates live beside mocks.json; with --no-persist or --config they stay in memory.
  const dir = opts.tlsAuto && !config && (opts.persist ?? true) ? join(resolveDataDir(opts.dataDir), 'tls') : undefined;
  return TlsState.load({ certFile: opts.tlsCert, keyFile: opts.tlsKey, auto: opts.tlsAuto, dir, host, mtlsCaFile: opts.mtlsCa, clientAuth: opts.mtlsClientAuth });
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
  const tls = await loadTls(opts, host, config);
  if (opts.httpsPort !== undefined && !tls) throw new Error('--https-port needs a certificate: give --tls-auto, or --tls-cert and --tls-key');
  if (opts.adminTls && !tls) throw new Error('--admin-tls needs a certificate: give --tls-auto, or --tls-cert and --tls-key');
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
      sharedRedis: opts.cluster ? { url: opts.cluster, prefix: opts.clusterPrefix || 'mockd' } : undefined,
      httpsPort: opts.httpsPort,
      tls: tls?.material,
    },
    log,
  );
  coordinator.tls = tls;
  let admin: AdminServer | undefined;
  let cluster: RunningCluster | undefined;
  try {
    admin = await serveAdmin(
      createAdminApp(coordinator, { host, apiKey: opts.apiKey || undefined, corsOrigins: opts.corsOrigins }),
      host,
      opts.adminPort ?? 4290,
      opts.headersTimeoutMs ?? 10_000,
      opts.adminTls ? tls!.material : undefined,
    );
    coordinator.adminPort = admin.port;
    const adminServer = admin;
    coordinator.onTlsReload = (material) => adminServer.reloadTls(material);
    await coordinator.start();
    if (opts.cluster) {
      coordinator.ready = false;
      const { joinCluster } = await import('./cluster/cluster.ts');
      const mockUrl = `http://${urlHost(host)}:${await coordinator.mockPort()}`;
      cluster = await joinCluster(coordinator, {
        url: opts.cluster,
        prefix: opts.clusterPrefix,
        replicaId: opts.replicaId,
        adminUrl: `http://${urlHost(host)}:${admin.port}`,
        mockUrl,
        journalSize: opts.journalSize ?? 10000,
      }, log);
      coordinator.cluster = cluster;
      coordinator.ready = true;
    }
  } catch (err) {
    await cluster?.close().catch(() => undefined);
    await coordinator.close().catch(() => undefined);
    await admin?.close().catch(() => undefined);
    throw err;
  }
  const mockPort = await coordinator.mockPort();
  const httpsPort = await coordinator.httpsPort();
  let closing: Promise<void> | undefined;
  return {
    mockUrl: `http://${urlHost(host)}:${mockPort}`,
    adminUrl: `${admin.tls ? 'https' : 'http'}://${urlHost(host)}:${admin.port}`,
    ...(httpsPort !== undefined ? { httpsUrl: `https://${urlHost(host)}:${httpsPort}`, httpsPort } : {}),
    mockPort,
    adminPort: admin.port,
    coordinator,
    close() {
      closing ??= (async () => {
        await cluster?.close();
        await coordinator.close();
        await admin!.close();
      })();
      return closing;
    },
  };
}
