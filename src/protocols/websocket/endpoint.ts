// One version of a WebSocket mock, compiled once when it is applied: matchers, responses, scenario and limits as
// ready-to-run values. Connections keep a reference to the endpoint they were accepted by, which is how a mock
// update closes the previous version's clients only (contract §9.6).

import { compileClientCertTest, type ClientCertTest } from '../tls/client-match.ts';
import type { Mock } from '../../mocks/types.ts';
import { durationMs } from '../../util/duration.ts';
import { compileMatch, type MessagePredicate } from './matchers.ts';
import { compileResponse, type CompiledResponse } from './responses.ts';
import { compileScenario, type CompiledScenario } from './scenario.ts';

/** `maxMessageSize` when the mock leaves it unset (contract §5). */
export const DEFAULT_MAX_MESSAGE_SIZE = 65_536;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;

export interface CompiledMatcher {
  test: MessagePredicate;
  /** Absent when the entry only consumes the message. */
  response?: CompiledResponse;
}

export interface WsEndpoint {
  readonly mockId: string;
  readonly path: string;
  readonly subprotocols: readonly string[];
  readonly requireSubprotocol: boolean;
  readonly matchers: readonly CompiledMatcher[];
  readonly defaultResponse?: CompiledResponse;
  readonly echo: boolean;
  readonly scenario?: CompiledScenario;
  /** Absent when heartbeats are off. */
  readonly heartbeat?: { intervalMs: number; timeoutMs: number };
  /** 0 = no idle timeout. */
  readonly idleTimeoutMs: number;
  readonly maxMessageSize: number;
  /** 0 = unlimited. */
  readonly maxConnections: number;
  /** From `mtls`: whether a client certificate may upgrade here (README "TLS"); absent = anyone. */
  readonly clientCertFits?: ClientCertTest;
  /** Received text frames are checked against this JSON Schema and journaled valid or not (issue 22). */
  readonly schema?: boolean | Record<string, unknown>;
  /** Set for a proxy mock (issue 21): clients are bridged to this upstream instead of answered. */
  readonly proxy?: { upstream: string; redact: boolean };
}

export function compileEndpoint(mock: Mock): WsEndpoint {
  const spec = mock.websocket!;
  const matchers = (spec.matchers ?? []).map(
    (entry): CompiledMatcher => ({
      test: compileMatch(entry.match),
      // `noResponse: true` consumes the message and sends nothing (§5).
      response: entry.noResponse || !entry.response ? undefined : compileResponse(entry.response),
    }),
  );
  const scenario = spec.scenario && spec.scenario.steps.length > 0 ? compileScenario(spec.scenario) : undefined;
  const hb = spec.heartbeat;
  return {
    mockId: mock.id,
    path: spec.path,
    subprotocols: spec.subprotocols ?? [],
    requireSubprotocol: spec.requireSubprotocol === true,
    matchers,
    defaultResponse: spec.defaultResponse ? compileResponse(spec.defaultResponse) : undefined,
    // echoMode defaults to true only when it is unset and there are no matchers and no scenario (§5).
    echo: spec.echoMode ?? (matchers.length === 0 && scenario === undefined),
    scenario,
    heartbeat:
      hb?.enabled === true
        ? {
            intervalMs: Math.max(1, durationMs(hb.interval, DEFAULT_HEARTBEAT_INTERVAL_MS)),
            timeoutMs: Math.max(1, durationMs(hb.timeout, DEFAULT_HEARTBEAT_TIMEOUT_MS)),
          }
        : undefined,
    idleTimeoutMs: durationMs(spec.idleTimeout, 0),
    maxMessageSize: spec.maxMessageSize || DEFAULT_MAX_MESSAGE_SIZE,
    maxConnections: spec.maxConnections ?? 0,
    ...(spec.mtls ? { clientCertFits: compileClientCertTest(spec.mtls) } : {}),
    schema: spec.schema,
    proxy: spec.proxy ? { upstream: spec.proxy.upstream, redact: spec.proxy.record?.redact !== false } : undefined,
  };
}
