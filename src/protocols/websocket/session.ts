// One live WebSocket connection: it routes each received message in the order of contract §5, sends responses, keeps
// its counters (data frames only, §9.2), runs its timers and scenario, and says goodbye with a close frame.

import type { EventEmitter } from 'node:events';
import { WebSocket, type RawData } from 'ws';
import { journal } from '../../journal/recorder.ts';
import { metrics } from '../../metrics/collector.ts';
import type { TemplateContext, TemplateRequest } from '../../templating/index.ts';
import type { CloseReason } from '../../contract/protocols.ts';
import { IDLE_TIMEOUT, MESSAGE_TOO_BIG, PING_TIMEOUT, type CloseFrame } from './close-codes.ts';
import type { WsEndpoint } from './endpoint.ts';
import { checkPayload } from '../../util/json-schema-validator.ts';
import { WsMessage } from './message.ts';
import type { CompiledResponse } from './responses.ts';
import { ScenarioRun } from './scenario.ts';
import { startHeartbeat, startIdleTimer, type Stoppable } from './timers.ts';
import type { WsConnection } from './types.ts';
import { WsUpstreamLink } from './proxy.ts';

/** What a static response renders with: it reads nothing. */
const NO_CONTEXT: TemplateContext = Object.freeze({});

/** How long a client may take to answer our close frame before the socket is dropped. */
export const CLOSE_HANDSHAKE_TIMEOUT_MS = 1000;

/** Cumulative counters shared by every session of a manager. */
export interface MessageTotals {
  totalMessagesSent: number;
  totalMessagesRecv: number;
}

/** Called once, when the socket is really closed; `reason` is `server` when mockd ended it on its own. */
export type GoneListener = (session: WsSession, reason: CloseReason | undefined) => void;

export class WsSession {
  readonly closed: Promise<void>;
  #markClosed!: () => void;
  #closing = false;
  #endedByServer = false;
  /** When the oldest frame not answered yet arrived (performance.now()), for the latency histogram; 0 = none. */
  #unansweredSince = 0;
  readonly #timers: Stoppable[] = [];
  readonly #delayed = new Set<NodeJS.Timeout>();
  #scenario?: ScenarioRun;
  /** A proxy mock's connection to its upstream (issue 21). */
  #upstream?: WsUpstreamLink;
  /** Restarts the idle clock; set by start() when an idle timeout applies. */
  #touch: () => void = () => undefined;

  constructor(
    readonly ws: WebSocket,
    /** The mock version serving this connection; a kept change moves it on (adopt). */
    public endpoint: WsEndpoint,
    readonly record: WsConnection,
    /** The upgrade request as templates see it (`request.path`, `request.query.*`, `request.header.*`). */
    private readonly upgrade: TemplateRequest,
    private readonly totals: MessageTotals,
    private readonly onGone: GoneListener,
    /** Faults on this connection: false drops an outbound frame, a number holds it that many ms. */
    private readonly outbound: (id: string) => number | false = () => 0,
  ) {
    this.closed = new Promise((resolve) => (this.#markClosed = resolve));
  }

  get id(): string {
    return this.record.id;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN && !this.#closing;
  }

  /** Wires the socket's events and starts timers and the scenario. */
  start(): void {
    const { ws, endpoint } = this;
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('close', (code: number, reason: Buffer) => this.#onClose(code, reason.toString('utf8')));
    // Errors (a reset socket, a protocol violation) are followed by 'close'; nothing else to do here.
    ws.on('error', () => undefined);
    this.#reportOversizedFrames();
    if (endpoint.heartbeat) {
      this.#timers.push(startHeartbeat(ws, endpoint.heartbeat.intervalMs, endpoint.heartbeat.timeoutMs, () => this.#endByServer(PING_TIMEOUT)));
    }
    const idle = startIdleTimer(endpoint.idleTimeoutMs, () => this.#endByServer(IDLE_TIMEOUT));
    this.#timers.push(idle);
    this.#touch = () => idle.touch();
    if (endpoint.proxy) {
      this.#upstream = new WsUpstreamLink(endpoint.proxy.upstream, this.upgrade.url ?? this.upgrade.path ?? '/', ws.protocol || undefined, this.upgrade.headers ?? {}, {
        received: (data, isBinary) => this.send(isBinary ? data : data.toString('utf8'), isBinary),
        closed: (frame) => this.#endByServer(frame),
      });
      return;
    }
    if (endpoint.scenario) {
      // The run waits a send's delay itself, so its sends go out at once (a delay of 0 here).
      this.#scenario = new ScenarioRun(endpoint.scenario, {
        send: (response, trigger) => {
          const frame = response.render(response.isStatic ? NO_CONTEXT : this.#context(trigger));
          this.send(frame.data, frame.isBinary);
        },
      });
      this.#scenario.start();
    }
  }

  /** A kept mock change: the next message is matched by the new version (its record keeps its path and id). */
  adopt(endpoint: WsEndpoint): void {
    this.endpoint = endpoint;
    this.record.mockId = endpoint.mockId;
  }

  /** Queues one data frame; false (and nothing counted) when the connection is no longer open. */
  send(data: string | Buffer, isBinary: boolean): boolean {
    if (!this.isOpen) return false;
    const hold = this.outbound(this.id);
    if (hold === false) return true;
    this.#countSent(data, isBinary);
    if (hold === 0) this.ws.send(data, { binary: isBinary });
    else this.#later(hold, () => this.ws.send(data, { binary: isBinary }));
    return true;
  }

  /** Like send(), but resolves once the frame is written to the socket (the admin send answers after that). */
  sendAndFlush(data: string | Buffer, isBinary: boolean): Promise<boolean> {
    if (!this.isOpen) return Promise.resolve(false);
    const hold = this.outbound(this.id);
    if (hold === false) return Promise.resolve(true);
    this.#countSent(data, isBinary);
    return new Promise((resolve) => {
      const write = () => (this.isOpen ? this.ws.send(data, { binary: isBinary }, (err) => resolve(!err)) : resolve(false));
      if (hold === 0) write();
      else this.#later(hold, write);
    });
  }

  /** Runs `fn` after `ms` unless the connection ends first (a fault's delay). */
  #later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#delayed.delete(timer);
      if (this.ws.readyState === WebSocket.OPEN) fn();
    }, ms);
    this.#delayed.add(timer);
  }

  /** Renders a response with the message (if any) and the upgrade request, then sends it after its delay. */
  respond(response: CompiledResponse, message: WsMessage | undefined): void {
    const frame = response.render(response.isStatic ? NO_CONTEXT : this.#context(message));
    if (response.delayMs <= 0) {
      this.send(frame.data, frame.isBinary);
      return;
    }
    const timer = setTimeout(() => {
      this.#delayed.delete(timer);
      this.send(frame.data, frame.isBinary);
    }, response.delayMs);
    this.#delayed.add(timer);
  }

  /**
   * Sends the close frame and resolves once the socket is closed (and the connection gone from the registry). A client
   * that does not answer the close handshake within CLOSE_HANDSHAKE_TIMEOUT_MS is dropped.
   */
  close(frame: CloseFrame): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      this.#stopActivity();
      const ws = this.ws;
      this.#upstream?.close(frame.code, frame.reason);
      if (ws.readyState === WebSocket.OPEN) ws.close(frame.code, frame.reason);
      if (ws.readyState !== WebSocket.CLOSED) {
        const timer = setTimeout(() => ws.terminate(), CLOSE_HANDSHAKE_TIMEOUT_MS);
        void this.closed.then(() => clearTimeout(timer));
      }
    }
    return this.closed;
  }

  #endByServer(frame: CloseFrame): void {
    if (this.#closing) return;
    this.#endedByServer = true;
    void this.close(frame);
  }

  // Per-message order of §5: (1) the scenario's current `expect`, (2) the first matching matcher, (3) the default
  // response, (4) echo keeping the frame type. If none takes the message, nothing is sent.
  #onMessage(raw: RawData, isBinary: boolean): void {
    if (this.#closing) return;
    const data = toBuffer(raw);
    this.record.messagesRecv++;
    this.totals.totalMessagesRecv++;
    metrics.message('websocket', this.record.mockId, 'in', data.length);
    if (this.#unansweredSince === 0) this.#unansweredSince = performance.now();
    if (journal.enabled) this.#journal('in', data, isBinary);
    this.#touch();
    if (this.#upstream) return this.#upstream.forward(data, isBinary);
    const message = new WsMessage(data, isBinary);
    if (this.#scenario?.offer(message)) return;
    const { matchers, defaultResponse, echo } = this.endpoint;
    for (const matcher of matchers) {
      if (!matcher.test(message)) continue;
      if (matcher.response) this.respond(matcher.response, message);
      return;
    }
    if (defaultResponse) this.respond(defaultResponse, message);
    else if (echo) this.send(data, isBinary);
  }

  #countSent(data: string | Buffer, isBinary: boolean): void {
    this.record.messagesSent++;
    this.totals.totalMessagesSent++;
    metrics.message('websocket', this.record.mockId, 'out', typeof data === 'string' ? Buffer.byteLength(data) : data.length);
    // A frame sent after frames arrived answers them: the time since the first of them is the response latency.
    if (this.#unansweredSince !== 0) {
      metrics.latency('websocket', (performance.now() - this.#unansweredSince) / 1000);
      this.#unansweredSince = 0;
    }
    if (journal.enabled) this.#journal('out', data, isBinary);
  }

  /** One journal entry per data frame in either direction (contract §12); binary data is kept as base64. */
  #journal(direction: 'in' | 'out', data: string | Buffer, isBinary: boolean): void {
    const { mockId, path, id: connectionId } = this.record;
    if (this.endpoint.proxy) {
      journal.websocket({ proxied: true, mockId, path, connectionId, direction, messageType: isBinary ? 'binary' : 'text', data });
      return;
    }
    const schema = this.endpoint.schema;
    if (schema !== undefined && direction === 'in') {
      const reason = checkPayload(schema, typeof data === 'string' ? data : data.toString('utf8'));
      const validity = reason === undefined ? { valid: true } : { valid: false, reason };
      journal.websocket({ mockId, path, connectionId, direction, messageType: isBinary ? 'binary' : 'text', data, ...validity, ...(this.record.tls ? { tls: this.record.tls } : {}) });
      return;
    }
    journal.websocket({ mockId, path, connectionId, direction, messageType: isBinary ? 'binary' : 'text', data, ...(this.record.tls ? { tls: this.record.tls } : {}) });
  }

  #context(message: WsMessage | undefined): TemplateContext {
    // A fresh request object per message: `request.body.*` parses rawBody lazily, once per object.
    return { request: message ? { ...this.upgrade, rawBody: message.text } : this.upgrade };
  }

  #onClose(code?: number, reason?: string): void {
    // The client's close goes upstream with the same code (a no-op when mockd started the close).
    this.#upstream?.close(code ?? 1000, reason ?? '');
    this.#closing = true;
    this.#stopActivity();
    this.onGone(this, this.#endedByServer ? 'server' : undefined);
    this.#markClosed();
  }

  #stopActivity(): void {
    for (const t of this.#timers) t.stop();
    for (const t of this.#delayed) clearTimeout(t);
    this.#delayed.clear();
    this.#scenario?.stop();
  }

  /**
   * ws enforces `maxPayload` itself but closes with a bare 1009 and no reason text, while §5 wants "message too big".
   * Its receiver reports the oversized frame to ws's own 'error' listener, which sends that bare close frame; a
   * listener placed before it sends ours first, and ws's own close() call then finds the socket already closing.
   * If ws's internals ever change, ws's own 1009 still applies.
   */
  #reportOversizedFrames(): void {
    const receiver = (this.ws as unknown as { _receiver?: EventEmitter })._receiver;
    receiver?.prependListener('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.#endByServer(MESSAGE_TOO_BIG);
    });
  }
}

function toBuffer(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
