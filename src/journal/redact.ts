// Redaction of what a proxy journals (issue 21): credentials passing through a proxy mock are never kept in clear
// unless the proxy says `record: { redact: false }`.

export const REDACTED = '[REDACTED]';

/** Headers that carry credentials or session state, in either direction. */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);

/** A copy of `headers` with every sensitive one replaced by `[REDACTED]` (names compared ignoring case). */
export function redactHeaders<V>(headers: Record<string, V>, redact: boolean): Record<string, V | string> {
  if (!redact) return { ...headers };
  const out: Record<string, V | string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k] = SENSITIVE_HEADERS.has(k.toLowerCase()) ? REDACTED : v;
  }
  return out;
}
