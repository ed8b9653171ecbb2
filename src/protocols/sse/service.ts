// SSE on the mock port (contract §4): the http host hands every request matched to a mock with `http.sse` to
// `serve`, which opens a stream under the stream cap. Plans are compiled once per mock version and dropped when the
// mock changes; the mock's streams end first, so a reconnecting client is matched afresh by the host.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { journal } from '../../journal/recorder.ts';
import type { Mock } from '../../mocks/types.ts';
import type { HostOptions } from '../../contract/worker-api.ts';
import { buildTemplateContext, type RequestInfo } from '../mock-port/request-context.ts';
import { sendJson } from '../mock-port/send-json.ts';
import type { SseService, SseServiceFactory } from '../mock-port/services.ts';
import { SSE_HEADERS } from '../../contract/sse-wire.ts';
import { SseConnectionManager, type SseConnection } from './manager.ts';
import { compilePlan, type SsePlan } from './plan.ts';
import { findResumeIndex } from './source.ts';
import { SseStream } from './stream.ts';
import { clientAddressOf } from '../../util/client-address.ts';
import { relayEventStream } from './relay.ts';

/** Contract §4: `--max-sse-streams` defaults to 100. */
export const DEFAULT_MAX_SSE_STREAMS = 100;

const TOO_MANY_STREAMS = { error: 'too_many_streams', message: 'sse: maximum connections reached' };

class SseStreamService implements SseService {
  readonly manager = new SseConnectionManager();
  readonly #maxStreams: number;
  /** Compiled plans by mock id, each kept with the mock object it was compiled from. */
  readonly #plans = new Map<string, { mock: Mock; plan: SsePlan }>();

  constructor(options: HostOptions) {
    this.#maxStreams = options.maxSseStreams ?? DEFAULT_MAX_SSE_STREAMS;
  }

  serve(req: IncomingMessage, res: ServerResponse, mock: Mock, pathParams: Record<string, string>, info: RequestInfo): void {
    if (req.method === 'HEAD') {
      res.writeHead(200, SSE_HEADERS);
      res.end();
      return;
    }
    // The cap holds for the worker pool as a whole (README "Workers").
    if (this.manager.poolSize >= this.#maxStreams) {
      this.manager.countError();
      sendJson(res, 503, TOO_MANY_STREAMS);
      return;
    }
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
      ended: (reason) => this.manager.gone(record!, reason),
      // Contract §12: one journal entry per stream opened and per event sent (not as an http entry).
      sent: (wire) => {
        if (!journal.enabled) return;
        journal.sse({ mockId: mock.id, path: info.path, connectionId: record!.id, kind: 'event', eventType: wire.type, eventId: wire.id, data: wire.data });
      },
    });
    record = this.manager.open(
      { mockId: mock.id, path: info.path, clientIp: clientAddressOf(req.socket), userAgent: req.headers['user-agent'] },
      (reason) => stream.close(reason),
    );
    journal.sse({ mockId: mock.id, path: info.path, connectionId: record.id, kind: 'open' });
    stream.start();
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
