// Flags of the Go mockd's `start`/`serve` that this mockd does not implement (yet). Scripts written for the Go mockd
// pass them, so they are accepted with a one-line warning naming the flag instead of failing with exit 2; a flag
// neither mockd knows is still a usage error. The list is the Go mockd's `pkg/cli/start.go` and `serve.go` flags
// minus the ones `start.ts` implements (README "Coming from the Go mockd").

import { UsageError, type OptionSpec } from '../registry.ts';

export const GO_ONLY_FLAGS: readonly string[] = [
  // mTLS flags of the Go mockd that mockd spells differently (README "TLS": --mtls-ca, --mtls-client-auth, `mtls` matchers)
  'mtls-enabled', 'mtls-allowed-cns',
  // audit log, tracing, log shipping, rate limiting, request validation
  'audit-enabled', 'audit-file', 'audit-level', 'otlp-endpoint', 'trace-sampler', 'loki-endpoint', 'rate-limit',
  'validate-spec', 'validate-fail',
  // GraphQL, OAuth, chaos, MCP (not yet)
  'graphql-schema', 'graphql-path', 'oauth-enabled', 'oauth-issuer', 'oauth-port',
  'chaos-enabled', 'chaos-latency', 'chaos-error-rate', 'chaos-profile', 'mcp', 'mcp-port', 'mcp-allow-remote',
  // cloud runtime, pull mode and engine mode
  'register', 'control-plane', 'token', 'name', 'labels', 'pull', 'cache', 'engine-name', 'register-url',
  // directory loading with hot reload (`start --load DIR --watch --validate`)
  'load', 'watch', 'validate',
];

const GO_ONLY = new Set(GO_ONLY_FLAGS);

/** Options every command has (main.ts), plus cac's own. */
const GLOBAL_KEYS = ['adminUrl', 'apiKey', 'json', 'help', 'h', '--'];

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The option keys cac fills in for these specs: long names in camelCase (`--no-x` fills `x`) and short names. */
function knownKeys(specs: readonly OptionSpec[]): Set<string> {
  const keys = new Set(GLOBAL_KEYS);
  for (const [flags] of specs) {
    for (const raw of flags.split(/[ ,]+/)) {
      if (raw.startsWith('--')) keys.add(camel(raw.slice(2).replace(/^no-/, '')));
      else if (raw.startsWith('-')) keys.add(raw.slice(1));
    }
  }
  return keys;
}

/** A value that leaves the Go mockd's feature off (`--https-port 0`, `--mcp=false`) needs no warning. */
function isOff(value: unknown): boolean {
  return value === false || value === 0 || value === '0' || value === '' || value === 'false';
}

/**
 * Checks the parsed options of `start`/`serve` (registered with cac's allowUnknownOptions): returns a warning per
 * Go-only flag that was given a value that turns its feature on, and throws a UsageError for any other unknown flag.
 */
export function checkStartFlags(options: Record<string, unknown>, specs: readonly OptionSpec[]): string[] {
  const known = knownKeys(specs);
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (known.has(key)) continue;
    const flag = key.length === 1 ? key : kebab(key);
    if (!GO_ONLY.has(flag)) throw new UsageError(`Unknown option \`${flag.length === 1 ? '-' : '--'}${flag}\``);
    if (!isOff(value)) warnings.push(`--${flag} is not supported by this mockd yet; ignored`);
  }
  return warnings;
}
