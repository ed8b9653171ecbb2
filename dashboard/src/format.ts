// Display formats. Ages follow the CLI's CONNECTED column (contract §10): 45s, 3m12s, 1h02m.

export function formatAge(fromIso: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A mock's address in the list: the HTTP/WebSocket path, or the MQTT/gRPC port. */
export function mockTarget(mock: { type: string; http?: { matcher: { path?: string; pathPattern?: string } }; websocket?: { path: string }; mqtt?: { port: number }; grpc?: { port: number } }): string {
  if (mock.type === 'websocket') return mock.websocket?.path ?? '';
  if (mock.type === 'http') return mock.http?.matcher.path ?? mock.http?.matcher.pathPattern ?? '';
  if (mock.type === 'mqtt') return `mqtt://:${mock.mqtt?.port ?? ''}`;
  return `grpc://:${mock.grpc?.port ?? ''}`;
}
