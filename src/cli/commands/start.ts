// `mockd start` (contract §1, §10): starts everything, prints the two URLs once every listener is bound,
// and shuts down gracefully on SIGINT/SIGTERM (exit 0 within 5 s).

import { startMockd } from '../../server.ts';
import { CliError } from '../client.ts';
import { print, printJson } from '../output.ts';
import { intOption, str, UsageError, type CommandDef } from '../registry.ts';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const SHUTDOWN_DEADLINE_MS = 5000;

function portOption(value: unknown, env: string | undefined, name: string, fallback: number): number {
  const raw = value ?? env;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port from 0 to 65535`);
  return n;
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

export const startCommand: CommandDef = {
  path: ['start'],
  description: 'Start the mock server and the admin API',
  options: [
    ['-p, --port <port>', 'Mock server port (env MOCKD_PORT)'],
    ['-a, --admin-port <port>', 'Admin API port (env MOCKD_ADMIN_PORT)'],
    ['--host <host>', 'Address every listener binds', { default: '127.0.0.1' }],
    ['-c, --config <file>', 'Load mocks from a YAML or JSON file (env MOCKD_CONFIG)'],
    ['--data-dir <dir>', 'Where mocks are persisted (env MOCKD_DATA_DIR)'],
    ['--no-persist', 'Do not read or write the data dir'],
    ['--log-level <level>', 'debug | info | warn | error', { default: 'info' }],
    ['--max-sse-streams <n>', 'Concurrent SSE streams', { default: 100 }],
    ['--max-connections <n>', 'Live WebSocket, MQTT and gRPC-stream connections per protocol, 0 = unlimited (env MOCKD_MAX_CONNECTIONS)'],
    ['--journal-size <n>', 'Request journal entries (0 = off)', { default: 10000 }],
    ['--cors-origins <list>', 'Origins allowed to call the admin API from a browser'],
    ['--workers <n>', 'Threads per protocol pool: a number or auto (env MOCKD_WORKERS; default auto)'],
  ],
  async action(_args, o, ctx) {
    const logLevel = String(o.logLevel);
    if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new UsageError('--log-level must be debug, info, warn or error');
    const maxSseStreams = intOption(o.maxSseStreams, 'max-sse-streams')!;
    const journalSize = intOption(o.journalSize, 'journal-size')!;
    if (maxSseStreams < 1) throw new UsageError('--max-sse-streams must be at least 1');
    if (journalSize < 0) throw new UsageError('--journal-size must be 0 or more');
    const maxConnections = intOption(o.maxConnections ?? process.env.MOCKD_MAX_CONNECTIONS, 'max-connections') ?? 0;
    if (maxConnections < 0) throw new UsageError('--max-connections must be 0 or more');
    const workers = workersOption(o.workers ?? process.env.MOCKD_WORKERS);
    const options = {
      port: portOption(o.port, process.env.MOCKD_PORT, 'port', 4280),
      adminPort: portOption(o.adminPort, process.env.MOCKD_ADMIN_PORT, 'admin-port', 4290),
      host: String(o.host),
      config: str(o.config) ?? process.env.MOCKD_CONFIG,
      dataDir: str(o.dataDir),
      persist: o.persist !== false,
      apiKey: str(ctx.global.apiKey) ?? process.env.MOCKD_API_KEY,
      logLevel: logLevel as (typeof LOG_LEVELS)[number],
      maxSseStreams,
      maxConnections,
      journalSize,
      workers,
      corsOrigins: str(o.corsOrigins)?.split(',').map((s) => s.trim()).filter(Boolean),
    };
    let running;
    try {
      running = await startMockd(options);
    } catch (err) {
      throw new CliError((err as Error).message, 1);
    }
    if (ctx.json) printJson({ mockServer: running.mockUrl, adminApi: running.adminUrl, pid: process.pid });
    else {
      print(`Mock server: ${running.mockUrl}`);
      print(`Admin API: ${running.adminUrl}`);
    }
    const shutdown = (signal: string) => {
      process.stderr.write(`[mockd] info: ${signal} received, shutting down\n`);
      const deadline = setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      running.close().then(
        () => process.exit(0),
        () => process.exit(0),
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  },
};
