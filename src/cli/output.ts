// CLI output (contract §10): tables with uppercase headers and columns padded by at least two spaces, `Label: value`
// lines, ages like `3m12s`, and `--json` as pretty JSON on stdout only.

import Table from 'cli-table3';

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
  'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
};

export function table(headers: string[], rows: (string | number)[][]): string {
  const t = new Table({
    head: headers.map((h) => h.toUpperCase()),
    chars: NO_BORDERS,
    style: { 'padding-left': 0, 'padding-right': 2, head: [], border: [] },
  });
  for (const row of rows) t.push(row.map((cell) => String(cell)));
  return t
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** Words the Go mockd's CLI prints in capitals (`TLS Enabled:`, `Mock ID:`), which scripts grep for. */
const ACRONYMS: Record<string, string> = { id: 'ID', ip: 'IP', tls: 'TLS', url: 'URL', rpc: 'RPC', rpcs: 'RPCs' };

/** `activeConnections` → `Active Connections`, `tlsEnabled` → `TLS Enabled`, `mockId` → `Mock ID`. */
export function label(field: string): string {
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').split(' ');
  return words.map((w) => ACRONYMS[w.toLowerCase()] ?? w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

/** Seconds since `iso` as `45s`, `3m12s`, `1h02m`. */
export function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => formatValue(x)).join(', ');
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * One `Label: value` line per field; nested maps print their entries indented under the label, and an empty map
 * says `none` rather than leaving a heading with nothing under it.
 */
export function fields(obj: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) {
      lines.push(`${label(k)}: none`);
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      lines.push(`${label(k)}:`);
      for (const [mk, mv] of Object.entries(v as Record<string, unknown>)) lines.push(`  ${mk}: ${formatValue(mv)}`);
    } else {
      lines.push(`${label(k)}: ${formatValue(v)}`);
    }
  }
  return lines.join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** The `warnings` of a write (fields dropped, merges) on stderr, so human output shows them as `--json` does. */
export function printWarnings(result: { warnings?: unknown }): void {
  if (!Array.isArray(result.warnings)) return;
  for (const warning of result.warnings) process.stderr.write(`Warning: ${String(warning)}\n`);
}
