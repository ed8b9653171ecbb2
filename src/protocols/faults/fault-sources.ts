// Where faults come from inside a worker, besides the admin route: each mock's `faults` block (set when the mock is
// applied) and the fault events every fault emits, forwarded to the coordinator's `/events` stream.

import type { FaultBlock, FaultEvent } from '../../contract/faults.ts';

const blocks = new Map<string, FaultBlock>();
const listeners = new Set<(event: FaultEvent) => void>();
const blockListeners = new Set<(mockId: string) => void>();

export function setMockFaults(mockId: string, block: FaultBlock | undefined): void {
  const had = blocks.has(mockId);
  if (block && Object.keys(block).length > 0) blocks.set(mockId, block);
  else blocks.delete(mockId);
  if (had || blocks.has(mockId)) for (const l of blockListeners) l(mockId);
}

/** Called when a mock's block changed, so connections kept across the change take its new latency and loss. */
export function onMockFaultsChange(listener: (mockId: string) => void): () => void {
  blockListeners.add(listener);
  return () => blockListeners.delete(listener);
}

export function mockFaultsOf(mockId: string): FaultBlock | undefined {
  return blocks.get(mockId);
}

export function onFaultEvent(listener: (event: FaultEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitFaultEvent(event: FaultEvent): void {
  for (const l of listeners) {
    try {
      l(event);
    } catch {
      // A listener's failure must never break the fault itself.
    }
  }
}
