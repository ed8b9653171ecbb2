// `onChange: "drain"` (README "Mock changes"): the old version's connections stay until they end on their own or the
// drain timeout passes, then get their protocol's goodbye with reason `mock_changed`. The timers never hold a
// worker open, and closing a connection that already ended does nothing.

/** Closes each of `ids` after `timeoutMs` through `close` (the manager's close, which says the goodbye). */
export function closeAfter(ids: readonly string[], timeoutMs: number, close: (id: string) => Promise<unknown>): void {
  if (ids.length === 0) return;
  const timer = setTimeout(() => {
    for (const id of ids) void close(id).catch(() => undefined);
  }, timeoutMs);
  timer.unref();
}
