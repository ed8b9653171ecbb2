// How `mockd update --dry-run` and `mockd delete --dry-run` print what a change would do (README "Mock changes"):
// the policy and its fallback, the connections it would close, drain or keep per protocol, and the ports.

import type { MockChangePreview } from '../../contract/events.ts';
import { print } from '../output.ts';

export function printPreview(p: MockChangePreview): void {
  print(`Dry run: ${p.change} mock ${p.mockId} (nothing changed)`);
  const policy = p.action === p.onChange ? p.onChange : `${p.onChange}, falls back to ${p.action}`;
  print(`  onChange: ${policy}${p.action === 'drain' ? ` (drainTimeoutMs ${p.drainTimeoutMs})` : ''}`);
  if (p.fallback) print(`  why: ${p.fallback}`);
  const protocols = Object.entries(p.connections);
  if (protocols.length === 0) print('  connections: none');
  for (const [protocol, fates] of protocols) {
    for (const fate of ['close', 'drain', 'keep'] as const) {
      const ids = fates![fate];
      print(`  ${protocol} ${fate}: ${ids.length === 0 ? '-' : ids.join(', ')}`);
    }
  }
  if (p.ports.bind.length > 0) print(`  ports to bind: ${p.ports.bind.map((n) => (n === 0 ? 'any free port' : n)).join(', ')}`);
  if (p.ports.free.length > 0) print(`  ports to free: ${p.ports.free.join(', ')}`);
}
