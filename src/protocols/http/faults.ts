// HTTP faults (README "Faults and chaos"): the mock's `faults` block and matching chaos rules, applied to one request
// before its response. A mock with no block while chaos is off never reaches this file (service.ts checks both first).
// Order: latency, then a fault kind that breaks the exchange, then the error rate; a bandwidth cap paces the body.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultBlock, HttpFaultKind } from '../../contract/faults.ts';
import type { Mock } from '../../mocks/types.ts';
import { chaosBlocks, chaosCounts } from '../faults/chaos-state.ts';
import { emitFaultEvent } from '../faults/fault-sources.ts';
import { drawLatency } from '../faults/latency.ts';
import { sendJson } from '../mock-port/send-json.ts';
import { throttleResponse } from './throttle.ts';

/** What the request still needs after its faults: `done` when a fault answered (or broke) it. */
/** `respond`: answer as usual; `done`: nothing more to send; `{fault}`: a fault broke or replaced the answer. */
export type FaultOutcome = 'done' | 'respond' | { fault: string };

/**
 * HTTP fault events go to `/events` and the fault log at most this often per worker: under chaos every request can
 * carry one, and the counts of `GET /chaos/stats` already say how many there were.
 */
const EVENTS_PER_SECOND = 100;
let eventWindow = 0;
let eventsInWindow = 0;

function emitHttpFault(mockId: string, kind: string, source: 'mock' | 'chaos'): void {
  const second = Math.floor(Date.now() / 1000);
  if (second !== eventWindow) {
    eventWindow = second;
    eventsInWindow = 0;
  }
  if (eventsInWindow++ < EVENTS_PER_SECOND) emitFaultEvent({ type: 'fault.applied', protocol: 'http', mockId, kind, source });
}

/** The garbage WireMock's MALFORMED_RESPONSE_CHUNK sends after a 200 header: not a valid chunk-size line. */
const MALFORMED_CHUNK = 'lskdu018973t09sylgasjkfg1][]\'./.sdlv\r\n';

export async function applyHttpFaults(req: IncomingMessage, res: ServerResponse, mock: Mock, path: string): Promise<FaultOutcome> {
  const chaos = chaosBlocks('http', mock.id, path);
  const blocks: { block: FaultBlock; source: 'mock' | 'chaos' }[] = [];
  if (mock.faults) blocks.push({ block: mock.faults, source: 'mock' });
  for (const block of chaos) blocks.push({ block, source: 'chaos' });
  if (blocks.length === 0) return 'respond';
  chaosCounts.requests++;

  let latency = 0;
  for (const { block } of blocks) latency += drawLatency(block.latency);
  if (latency > 0) {
    chaosCounts.delayed++;
    await new Promise((resolve) => setTimeout(resolve, latency));
    if (res.destroyed) return 'done';
  }

  for (const { block, source } of blocks) {
    const kind = block.fault;
    if (kind === undefined || !isHttpFault(kind)) continue;
    chaosCounts.faults++;
    emitHttpFault(mock.id, kind, source);
    breakExchange(req, res, kind);
    return { fault: kind };
  }

  for (const { block, source } of blocks) {
    if (block.errorRate === undefined || Math.random() >= block.errorRate) continue;
    chaosCounts.errors++;
    const status = block.errorStatus ?? 503;
    emitHttpFault(mock.id, `error-${status}`, source);
    sendJson(res, status, { error: 'fault_injected', message: `injected error ${status}` });
    return { fault: `error-${status}` };
  }

  let bandwidth = Number.POSITIVE_INFINITY;
  for (const { block } of blocks) if (block.bandwidth !== undefined) bandwidth = Math.min(bandwidth, block.bandwidth);
  if (Number.isFinite(bandwidth)) {
    chaosCounts.throttled++;
    throttleResponse(res, bandwidth);
  }
  return 'respond';
}

function isHttpFault(kind: string): kind is HttpFaultKind | 'drop' {
  return kind === 'reset' || kind === 'empty' || kind === 'malformed-chunk' || kind === 'random-data-then-close' || kind === 'drop';
}

/** Breaks the exchange the way `kind` says; the response object is never used again. */
function breakExchange(req: IncomingMessage, res: ServerResponse, kind: HttpFaultKind | 'drop'): void {
  const socket = req.socket;
  switch (kind) {
    case 'reset':
      // RST, not FIN: the client reads ECONNRESET (WireMock CONNECTION_RESET_BY_PEER).
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return;
    case 'empty':
    case 'drop':
      // The connection closes with no byte of a response (WireMock EMPTY_RESPONSE).
      socket.end();
      socket.destroySoon();
      return;
    case 'malformed-chunk':
      // A valid status line and chunked header, then a body that is no chunk at all, then close.
      socket.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n${MALFORMED_CHUNK}`);
      return;
    case 'random-data-then-close':
      socket.end(randomBytes(64));
      return;
  }
  void res;
}
