// The layout of the connection id counters every worker shares (a SharedArrayBuffer the coordinator makes once), so
// `ws-<n>`, `sse-<n>` and `grpc-stream-<n>` are never reused, even across worker restarts.

/** One BigInt64 slot per id prefix. */
export const ID_SLOTS: Readonly<Record<string, number>> = { 'ws-': 0, 'sse-': 1, 'grpc-stream-': 2 };
export const ID_COUNTER_BYTES = 8 * 4;

/** The journal's `req-<n>` counter: one BigInt64. */
export const JOURNAL_COUNTER_BYTES = 8;
