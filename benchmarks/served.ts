// What the mockd under test counted itself (issue 23): the operations of one protocol in its GET /metrics, read before
// and after a round, so the bench can show that its own counters and the generator agree.

const CALL_TIMEOUT_MS = 30_000;

/** Which samples count as one generator operation of each protocol. */
const SERVED: Record<string, { name: string; labels: string[] }> = {
  http: { name: 'mockd_requests_total', labels: ['protocol="http"'] },
  // The MQTT generator counts a message when its subscriber receives it: a delivery by the broker.
  mqtt: { name: 'mockd_messages_total', labels: ['protocol="mqtt"', 'direction="out"'] },
};

export async function servedBy(adminUrl: string, protocol: 'http' | 'mqtt'): Promise<number> {
  const res = await fetch(`${adminUrl}/metrics`, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  const { name, labels } = SERVED[protocol]!;
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !labels.every((l) => line.includes(l))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
