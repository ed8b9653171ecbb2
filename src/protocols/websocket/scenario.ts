// Scenarios of contract §5: `{name, steps[{type: send|expect|wait, …}], loop}`. A scenario is compiled once per mock
// version; each connection runs its own ScenarioRun from step 0, starting on connect.
//   - `send` sends a Response (after its delay);
//   - `wait` sleeps for `duration`;
//   - `expect` waits for a message that fits `match` (any message when `match` is absent). A message it takes is
//     consumed: it goes nowhere else (§5 per-message order, step 1). On timeout (default 30 s) an `optional` step is
//     skipped; otherwise the scenario stops and later messages go to the matchers, the default response or echo.
//   - `loop: true` restarts from step 0 after the last step.

import type { WebSocketSpec } from '../../mocks/types.ts';
import { durationMs } from '../../util/duration.ts';
import { compileMatch, type MessagePredicate } from './matchers.ts';
import type { WsMessage } from './message.ts';
import { compileResponse, type CompiledResponse } from './responses.ts';

export const DEFAULT_EXPECT_TIMEOUT_MS = 30_000;

export type CompiledStep =
  | { type: 'send'; response: CompiledResponse }
  | { type: 'wait'; durationMs: number }
  | { type: 'expect'; test: MessagePredicate; timeoutMs: number; optional: boolean };

export interface CompiledScenario {
  name: string;
  steps: CompiledStep[];
  loop: boolean;
  /** True when a cycle can complete without waiting for anything (only instant sends and zero waits). */
  isInstant: boolean;
}

type ScenarioSpec = NonNullable<WebSocketSpec['scenario']>;

export function compileScenario(spec: ScenarioSpec): CompiledScenario {
  const steps = spec.steps.map((step): CompiledStep => {
    switch (step.type) {
      case 'send':
        return { type: 'send', response: compileResponse(step.message ?? { type: 'text', value: '' }) };
      case 'wait':
        return { type: 'wait', durationMs: durationMs(step.duration, 0) };
      case 'expect':
        return {
          type: 'expect',
          test: step.match ? compileMatch(step.match) : () => true,
          timeoutMs: durationMs(step.timeout, DEFAULT_EXPECT_TIMEOUT_MS),
          optional: step.optional === true,
        };
    }
  });
  const isInstant = steps.every((s) => (s.type === 'send' && s.response.delayMs === 0) || (s.type === 'wait' && s.durationMs === 0));
  return { name: spec.name ?? '', steps, loop: spec.loop === true, isInstant };
}

/** How a run talks to its connection. */
export interface ScenarioIo {
  /**
   * Renders and queues a response at once (the run waits the response's delay itself); `trigger` is the message the
   * last `expect` took, for templates.
   */
  send(response: CompiledResponse, trigger: WsMessage | undefined): void;
}

/** One connection's copy of a scenario. */
export class ScenarioRun {
  #index = 0;
  #timer?: NodeJS.Timeout;
  #expecting?: Extract<CompiledStep, { type: 'expect' }>;
  #trigger?: WsMessage;
  #state: 'idle' | 'running' | 'finished' | 'stopped' = 'idle';

  constructor(
    readonly scenario: CompiledScenario,
    private readonly io: ScenarioIo,
  ) {}

  /** The index of the step being run (for tests and diagnostics). */
  get stepIndex(): number {
    return this.#index;
  }

  /** True once the scenario ran out of steps, stopped on a failed expect, or was stopped. */
  get isFinished(): boolean {
    return this.#state === 'finished' || this.#state === 'stopped';
  }

  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'running';
    this.#run();
  }

  /** Offers a received message; true when the current step is an `expect` that takes it (§5 step 1). */
  offer(message: WsMessage): boolean {
    const step = this.#expecting;
    if (!step || !step.test(message)) return false;
    clearTimeout(this.#timer);
    this.#expecting = undefined;
    this.#trigger = message;
    this.#advance();
    return true;
  }

  /** Cancels every pending timer; the run does nothing more. */
  stop(): void {
    this.#state = 'stopped';
    this.#expecting = undefined;
    clearTimeout(this.#timer);
  }

  #advance(): void {
    this.#index++;
    this.#run();
  }

  // Runs instant steps one after another in this turn, and stops at the first step that has to wait. Running them
  // synchronously means a message that arrives right after a send already meets the following `expect`.
  #run(): void {
    const { steps, loop, isInstant } = this.scenario;
    while (this.#state === 'running') {
      if (this.#index >= steps.length) {
        if (!loop || steps.length === 0) {
          this.#state = 'finished';
          return;
        }
        this.#index = 0;
        // A cycle that never waits would otherwise spin forever: start the next one on a later turn.
        if (isInstant) {
          this.#timer = setTimeout(() => this.#run(), 0);
          return;
        }
        continue;
      }
      const step = steps[this.#index]!;
      switch (step.type) {
        case 'send':
          if (step.response.delayMs > 0) {
            this.#timer = setTimeout(() => {
              this.io.send(step.response, this.#trigger);
              this.#advance();
            }, step.response.delayMs);
            return;
          }
          this.io.send(step.response, this.#trigger);
          this.#index++;
          continue;
        case 'wait':
          if (step.durationMs > 0) {
            this.#timer = setTimeout(() => this.#advance(), step.durationMs);
            return;
          }
          this.#index++;
          continue;
        case 'expect':
          this.#expecting = step;
          this.#timer = setTimeout(() => this.#expired(step), step.timeoutMs);
          return;
      }
    }
  }

  #expired(step: Extract<CompiledStep, { type: 'expect' }>): void {
    if (this.#expecting !== step) return;
    this.#expecting = undefined;
    if (step.optional) this.#advance();
    else this.#state = 'finished';
  }
}
