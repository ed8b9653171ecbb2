// `mockd start` and its alias `mockd serve` (contract §1, §10): starts everything, prints the two URLs once every
// listener is bound, and shuts down gracefully on SIGINT/SIGTERM (exit 0 within 5 s). Every flag of the Go mockd's
// `start`/`serve` is accepted (README "Coming from the Go mockd"): the ones mockd implements keep their meaning, and
// the others are named in a one-line warning (start-flags.ts).

import { resolve } from 'node:path';
import type { LogFormat, StartOptions } from '../../server.ts';
import { CliError } from '../client.ts';
import { print, printJson } from '../output.ts';
import { intOption, str, toArray, UsageError, type CommandDef, type OptionSpec } from '../registry.ts';
import { checkStartFlags } from './start-flags.ts';
import { CLIENT_AUTH_MODES, type ClientAuth } from '../../contract/tls.ts';
import { DETACHED_CHILD_ENV, defaultPidFile, removePidFile, reportReadyToParent, startDetached, writePidFile } from './detach.ts';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const LOG_FORMATS = ['text', 'json'] as const;
const SHUTDOWN_DEADLINE_MS = 5000;

function portOption(value: unknown, env: string | undefined, name: string, fallback: number): number {
  const raw = value ?? env;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port from 0 to 65535`);
  return n;
}

/** `--read-timeout 30` etc.: whole seconds, as the Go mockd takes them; 0 leaves the timeout at mockd's default. */
function secondsOption(value: unknown, name: string): number | undefined {
  const n = intOption(value, name);
  if (n === undefined) return undefined;
  if (n < 0) throw new UsageError(`--${name} must be 0 or more seconds`);
  return n === 0 ? undefined : n * 1000;
}

/** `--workers N|auto`: a whole number from 1 to 64, or `auto` (README "Workers"). */
function workersOption(raw: unknown): number | 'auto' {
  if (raw === undefined || raw === '') return 'auto';
  const text = String(raw).trim().toLowerCase();
  if (text === 'auto') return 'auto';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError('--workers must be auto or a number from 1 to 64');
  return n;
}

const OPTIONS: OptionSpec[] = [
  ['-p, --port <port>', 'Mock server port (env MOCKD_PORT)'],
  ['-a, --admin-port <port>', 'Admin API port (env MOCKD_ADMIN_PORT)'],
  ['--host <host>', 'Address every listener binds', { default: '127.0.0.1' }],
  ['-c, --config <file>', 'Load mocks from a YAML or JSON file (env MOCKD_CONFIG)'],
  ['--import <file>', 'Import a contract file (OpenAPI, AsyncAPI, proto, WireMock, Postman, HAR, Mockoon); repeatable'],
  ['--data-dir <dir>', 'Where mocks are persisted (env MOCKD_DATA_DIR)'],
  ['--no-persist', 'Do not read or write the data dir'],
  ['--no-auth', 'No API key on the admin API, even if --api-key or MOCKD_API_KEY is set'],
  ['--log-level <level>', 'debug | info | warn | error (env MOCKD_LOG_LEVEL; default info)'],
  ['--log-format <format>', 'text | json, one JSON object a line (env MOCKD_LOG_FORMAT; default text)'],
  ['--log-requests', 'Log every journaled request, message and call (one info line each, from the worker that served it)'],
  ['--no-metrics', 'Keep no request, message or connection counters (GET /metrics then shows process metrics only)'],
  ['--max-sse-streams <n>', 'Concurrent SSE streams', { default: 100 }],
  ['--max-connections <n>', 'Live WebSocket, MQTT and gRPC-stream connections per protocol, 0 = unlimited (env MOCKD_MAX_CONNECTIONS)'],
  ['--journal-size <n>', 'Request journal entries, 0 = off (default 10000)'],
  ['--max-log-entries <n>', 'Same as --journal-size (the Go mockd\'s name)'],
  ['--read-timeout <s>', 'Seconds a client has to send its whole request on the mock port (default 60)'],
  ['--write-timeout <s>', 'Seconds an HTTP response may take on the mock port, SSE excepted (default none)'],
  ['--request-timeout <s>', 'Sets both --read-timeout and --write-timeout'],
  ['--cors-origins <list>', 'Origins allowed to call the admin API from a browser'],
  ['--workers <n>', 'Threads per protocol pool: a number or auto (env MOCKD_WORKERS; default auto)'],
  ['--cluster <url>', 'Join a cluster of replicas sharing mocks and connections through Redis: redis://host:port[/db] (env MOCKD_CLUSTER_URL)'],
  ['--cluster-prefix <prefix>', 'Key prefix in that Redis, to share one Redis between clusters (env MOCKD_CLUSTER_PREFIX; default mockd)'],
  ['-d, --detach', 'Run in the background; prints the PID and URLs once ready, logs to daemon.log beside the PID file'],
  ['--tls-cert <file>', 'PEM certificate for the HTTPS port, MQTT/gRPC TLS and --admin-tls (with --tls-key)'],
  ['--tls-key <file>', 'PEM private key of --tls-cert'],
  ['--tls-auto', 'Generate a CA and a server certificate (kept in the data dir; `mockd tls ca` prints the CA)'],
  ['--auto-cert', 'Same as --tls-auto (the Go mockd\'s name)'],
  ['--https-port <port>', 'Serve the HTTP, SSE and WebSocket mocks over TLS on this port too (0 = pick)'],
  ['--mtls-ca <file>', 'CA bundle that client certificates on the HTTPS port must chain to'],
  ['--mtls-client-auth <mode>', 'none | request | require (default require with --mtls-ca)'],
  ['--admin-tls', 'Serve the admin API over HTTPS with the same certificate'],
  ['--pid-file <file>', 'Write a PID file (default with --detach: ~/.mockd/mockd.pid); removed on shutdown'],
];

/** `--cluster redis://host:port[/db]` (or rediss:// for TLS); checked here so a typo is a usage error. */
function clusterOption(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^rediss?:\/\/[^/]+(\/\d+)?\/?$/.test(raw)) throw new UsageError('--cluster must be redis://host:port[/db] or rediss://host:port[/db]');
  return raw;
}

/** The TLS flags (README "TLS"); files are checked when the server starts, so a bad one exits 1 naming it. */
function tlsOptions(o: Record<string, any>): Partial<StartOptions> {
  const out: Partial<StartOptions> = {};
  if (o.tlsCert !== undefined) out.tlsCert = String(o.tlsCert);
  if (o.tlsKey !== undefined) out.tlsKey = String(o.tlsKey);
  if (o.tlsAuto || o.autoCert) out.tlsAuto = true;
  if (o.httpsPort !== undefined) out.httpsPort = portOption(o.httpsPort, undefined, 'https-port', 0);
  if (o.mtlsCa !== undefined) out.mtlsCa = String(o.mtlsCa);
  if (o.mtlsClientAuth !== undefined) {
    const mode = String(o.mtlsClientAuth);
    if (!(CLIENT_AUTH_MODES as readonly string[]).includes(mode)) throw new UsageError('--mtls-client-auth must be none, request or require');
    out.mtlsClientAuth = mode as ClientAuth;
  }
  if (o.adminTls) out.adminTls = true;
  return out;
}

/** Reads and checks the flags; returns the options for startMockd and the warnings for Go-only flags. */
function readOptions(o: Record<string, any>, apiKey: string | undefined): { options: StartOptions; warnings: string[] } {
  const warnings = checkStartFlags(o, OPTIONS);
  const logLevel = String(o.logLevel ?? process.env.MOCKD_LOG_LEVEL ?? 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new UsageError('--log-level must be debug, info, warn or error');
  const logFormat = String(o.logFormat ?? process.env.MOCKD_LOG_FORMAT ?? 'text');
  if (!(LOG_FORMATS as readonly string[]).includes(logFormat)) throw new UsageError('--log-format must be text or json');
  const maxSseStreams = intOption(o.maxSseStreams, 'max-sse-streams')!;
  if (o.journalSize !== undefined && o.maxLogEntries !== undefined && Number(o.journalSize) !== Number(o.maxLogEntries)) {
    throw new UsageError('--journal-size and --max-log-entries disagree: give one of them');
  }
  const journalSize = intOption(o.journalSize ?? o.maxLogEntries, o.journalSize !== undefined ? 'journal-size' : 'max-log-entries') ?? 10000;
  if (maxSseStreams < 1) throw new UsageError('--max-sse-streams must be at least 1');
  if (journalSize < 0) throw new UsageError('--journal-size must be 0 or more');
  const maxConnections = intOption(o.maxConnections ?? process.env.MOCKD_MAX_CONNECTIONS, 'max-connections') ?? 0;
  if (maxConnections < 0) throw new UsageError('--max-connections must be 0 or more');
  const both = secondsOption(o.requestTimeout, 'request-timeout');
  const options: StartOptions = {
    port: portOption(o.port, process.env.MOCKD_PORT, 'port', 4280),
    adminPort: portOption(o.adminPort, process.env.MOCKD_ADMIN_PORT, 'admin-port', 4290),
    host: String(o.host),
    config: str(o.config) ?? process.env.MOCKD_CONFIG,
    imports: toArray(o.import).map((path) => ({ path })),
    dataDir: str(o.dataDir),
    persist: o.persist !== false,
    // `--no-auth` (the Go mockd's CI starts it so) turns the admin API key off whatever else sets one.
    apiKey: o.auth === false ? undefined : (apiKey ?? process.env.MOCKD_API_KEY),
    logLevel: logLevel as (typeof LOG_LEVELS)[number],
    logFormat: logFormat as LogFormat,
    metrics: o.metrics !== false,
    logRequests: o.logRequests === true,
    maxSseStreams,
    maxConnections,
    journalSize,
    workers: workersOption(o.workers ?? process.env.MOCKD_WORKERS),
    readTimeoutMs: secondsOption(o.readTimeout, 'read-timeout') ?? both,
    writeTimeoutMs: secondsOption(o.writeTimeout, 'write-timeout') ?? both,
    corsOrigins: str(o.corsOrigins)?.split(',').map((s) => s.trim()).filter(Boolean),
    cluster: clusterOption(str(o.cluster) ?? process.env.MOCKD_CLUSTER_URL),
    clusterPrefix: str(o.clusterPrefix) ?? process.env.MOCKD_CLUSTER_PREFIX,
    replicaId: process.env.MOCKD_REPLICA_ID || undefined,
    ...tlsOptions(o),
  };
  return { options, warnings };
}

function startCommandFor(word: 'start' | 'serve'): CommandDef {
  return {
    path: [word],
    description: word === 'start' ? 'Start the mock server and the admin API' : 'Same as start (the Go mockd\'s name)',
    options: OPTIONS,
    allowUnknownOptions: true,
    async action(_args, o, ctx) {
      const { options, warnings } = readOptions(o, str(ctx.global.apiKey));
      // The server is loaded here, so the other commands do not pay for loading it.
      const { createLogger, startMockd } = await import('../../server.ts');
      const log = createLogger(options.logLevel, options.logFormat);
      for (const w of warnings) log('warn', w);
      const pidFile = str(o.pidFile) ?? (o.detach ? defaultPidFile() : undefined);
      if (o.detach && process.env[DETACHED_CHILD_ENV] !== '1') {
        const ready = await startDetached(process.argv.slice(2), resolve(pidFile!));
        if (ctx.json) return printJson({ mockServer: ready.mockUrl, adminApi: ready.adminUrl, ...(ready.httpsUrl && { mockServerTls: ready.httpsUrl }), pid: ready.pid });
        print(`mockd started in background (PID ${ready.pid})`);
        print(`Mock server: ${ready.mockUrl}`);
        print(`Admin API: ${ready.adminUrl}`);
        if (ready.httpsUrl) print(`Mock server (TLS): ${ready.httpsUrl}`);
        return;
      }
      let running;
      try {
        running = await startMockd(options);
      } catch (err) {
        throw new CliError((err as Error).message, 1);
      }
      if (pidFile) {
        writePidFile(pidFile, {
          pid: process.pid, mockUrl: running.mockUrl, adminUrl: running.adminUrl, host: options.host!, mockPort: running.mockPort,
          adminPort: running.adminPort, config: options.config, mocksLoaded: running.coordinator.store.all().length,
        });
      }
      // The handlers go in before the URLs are printed: a script that signals as soon as it reads them must never
      // meet the default action (killed, no goodbyes, no exit code 0).
      const shutdown = (signal: string) => {
        log('info', `${signal} received, shutting down`);
        const exit = () => {
          if (pidFile) removePidFile(pidFile);
          process.exit(0);
        };
        const deadline = setTimeout(exit, SHUTDOWN_DEADLINE_MS);
        deadline.unref();
        running.close().then(exit, exit);
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      // SIGHUP reloads the certificates (README "TLS"), as `POST /tls/reload` does; without TLS it is ignored.
      if (running.coordinator.tls) {
        process.on('SIGHUP', () => {
          running.coordinator.reloadTlsCertificates().then(
            () => log('info', 'SIGHUP: TLS certificates reloaded'),
            (err: Error) => log('error', `SIGHUP: ${err.message}`),
          );
        });
      }
      if (ctx.json) printJson({ mockServer: running.mockUrl, adminApi: running.adminUrl, ...(running.httpsUrl ? { mockServerTls: running.httpsUrl } : {}), pid: process.pid });
      else {
        print(`Mock server: ${running.mockUrl}`);
        print(`Admin API: ${running.adminUrl}`);
        if (running.httpsUrl) print(`Mock server (TLS): ${running.httpsUrl}`);
      }
      reportReadyToParent({ pid: process.pid, mockUrl: running.mockUrl, adminUrl: running.adminUrl, ...(running.httpsUrl && { httpsUrl: running.httpsUrl }) });
    },
  };
}

export const startCommand: CommandDef = startCommandFor('start');
export const serveCommand: CommandDef = startCommandFor('serve');
