// SSE on the mock port (contract §4): the http host hands every request matched to a mock with `http.sse` to
// `serve`, which opens a stream under the stream cap. Plans are compiled once per mock version and dropped when the
// mock changes; the mock's streams end first, so a reconnecting client is matched afresh by the host.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { journal } from '../../journal/recorder.ts';
import { isSseMock, type Mock } from '../../mocks/types.ts';
import { planChange } from '../../mocks/change-policy.ts';
import { closeAfter } from '../drain.ts';
import { metrics } from '../../metrics/collector.ts';
import type { HostOptions } from '../../contract/worker-api.ts';
import { tlsInfoOf } from '../tls/client-info.ts';
import { buildTemplateContext, type RequestInfo } from '../mock-port/request-context.ts';
import { sendJson } from '../mock-port/send-json.ts';
import type { SseService, SseServiceFactory } from '../mock-port/services.ts';
import { SSE_HEADERS } from '../../contract/sse-wire.ts';
import { SseConnectionManager, type SseConnection } from './manager.ts';
import { compilePlan, type SsePlan } from './plan.ts';
import { findResumeIndex } from './source.ts';
import { SseStream } from './stream.ts';
import { clientAddressOf } from '../../util/client-address.ts';
import { liveCounter } from '../pool-counts.ts';
import { relayEventStream } from './relay.ts';

/** Contract §4: `--max-sse-streams` defaults to 100. */
export const DEFAULT_MAX_SSE_STREAMS = 100;

const TOO_MANY_STREAMS = { error: 'too_many_streams', message: 'sse: maximum connections reached' };

class SseStreamService implements SseService {
  readonly manager = new SseConnectionManager();
  readonly #maxStreams: number;
  /** Open streams across the pool, for `--max-sse-streams`. */
  readonly #live = liveCounter('sse');
  /** Compiled plans by mock id, each kept with the mock object it was compiled from. */
  readonly #plans = new Map<string, { mock: Mock; plan: SsePlan }>();
  /** Live streams by connection id, for a kept change. */
  readonly #streams = new Map<string, SseStream>();

  constructor(options: HostOptions) {
    this.#maxStreams = options.maxSseStreams ?? DEFAULT_MAX_SSE_STREAMS;
  }

  serve(req: IncomingMessage, res: ServerResponse, mock: Mock, pathParams: Record<string, string>, info: RequestInfo): void {
    if (req.method === 'HEAD') {
      res.writeHead(200, SSE_HEADERS);
      res.end();
      return;
    }
    // The cap holds for the worker pool as a whole (README "Workers"): a slot is taken before the stream opens, as one
    // atomic step across members, and given back once, when the stream ends or its response closes.
    if (!this.#live.tryTake(this.#maxStreams)) {
      this.manager.countError();
      metrics.refused('sse', mock.id);
      sendJson(res, 503, TOO_MANY_STREAMS);
      return;
    }
    let held = true;
    const giveBack = () => {
      if (held) this.#live.add(-1);
      held = false;
    };
    res.once('close', giveBack);
    const plan = this.#planOf(mock);
    const lastEventId = req.headers['last-event-id'];
    // Without resume the header is ignored (§4).
    const startIndex = plan.resume && typeof lastEventId === 'string' ? findResumeIndex(plan.events, lastEventId) : 0;

    let record: SseConnection | undefined;
    const stream = new SseStream(res, { plan, context: buildTemplateContext(info, req.headers, pathParams), startIndex }, {
      wrote: (bytes, events) => this.manager.countWrite(record!, bytes, events),
      writeFailed: () => this.manager.countError(),
      closing: () => {
        record!.status = 'closing';
      },
      ended: (reason) => {
        this.#streams.delete(record!.id);
        giveBack();
        this.manager.gone(record!, reason);
      },
      // Contract §12: one journal entry per stream opened and per event sent (not as an http entry).
      sent: (wire) => {
        metrics.message('sse', mock.id, 'out', wire.data === undefined ? 0 : Buffer.byteLength(wire.data));
        if (!journal.enabled) return;
        journal.sse({ mockId: mock.id, path: info.path, connectionId: record!.id, kind: 'event', eventType: wire.type, eventId: wire.id, data: wire.data, ...(record!.tls ? { tls: record!.tls } : {}) });
      },
      outbound: () => this.manager.outbound(record!.id),
    });
    record = this.manager.open(
      { mockId: mock.id, path: info.path, clientIp: clientAddressOf(req.socket), userAgent: req.headers['user-agent'], tls: tlsInfoOf(req.socket) },
      (reason) => stream.close(reason),
      { socket: () => req.socket, closeWith: (fault) => stream.closeWithRetry(fault.retryMs, 'admin') },
    );
    journal.sse({ mockId: mock.id, path: info.path, connectionId: record.id, kind: 'open', ...(record.tls ? { tls: record.tls } : {}) });
    this.#streams.set(record.id, stream);
    stream.start();
  }

  async changeMock(old: Mock, next: Mock | undefined): Promise<void> {
    const plan = planChange(old, next);
    const ids = this.manager.list(old.id).map((r) => r.id);
    if (plan.action === 'keep' && next && isSseMock(next)) {
      const nextPlan = this.#planOf(next);
      for (const id of ids) this.#streams.get(id)?.adopt(nextPlan);
      return;
    }
    if (plan.action === 'drain') {
      if (!next) this.#plans.delete(old.id);
      return closeAfter(ids, plan.drainTimeoutMs, (id) => this.manager.close(id, 'mock_changed'));
    }
    await this.closeMock(old.id);
  }

  relay(req: IncomingMessage, res: ServerResponse, mock: Mock, upstream: IncomingMessage, options: { path: string; redact: boolean }): void {
    relayEventStream(this.manager, req, res, mock, upstream, options);
  }

  async closeMock(mockId: string): Promise<void> {
    this.#plans.delete(mockId);
    await this.manager.closeByMock(mockId, 'mock_changed');
  }

  async close(): Promise<void> {
    this.#plans.clear();
    await this.manager.closeAll('shutdown');
  }

  /** The host hands over the same Mock object until the mock is applied again, so identity marks the version. */
  #planOf(mock: Mock): SsePlan {
    const cached = this.#plans.get(mock.id);
    if (cached?.mock === mock) return cached.plan;
    const plan = compilePlan(mock.http!.sse!);
    this.#plans.set(mock.id, { mock, plan });
    return plan;
  }
}

export const createSseService: SseServiceFactory = (options) => new SseStreamService(options);
