import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { compileScenario, ScenarioRun, DEFAULT_EXPECT_TIMEOUT_MS } from '../../../src/protocols/websocket/scenario.ts';
import { WsMessage } from '../../../src/protocols/websocket/message.ts';
import type { WebSocketSpec } from '../../../src/mocks/types.ts';
import { deferred, within } from '../../helpers/wait.ts';

type Spec = NonNullable<WebSocketSpec['scenario']>;

const msg = (s: string) => new WsMessage(Buffer.from(s), false);
const say = (value: string) => ({ type: 'send' as const, message: { type: 'text' as const, value } });
/** Lets promise continuations (a send's completion) run; setImmediate is not faked. */
const flush = () => new Promise((r) => setImmediate(r));

/** A run whose sends are recorded as the rendered text (with `request.rawBody` of the trigger). */
function start(t: TestContext, spec: Spec) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const sent: string[] = [];
  const run = new ScenarioRun(compileScenario(spec), {
    send(response, trigger) {
      const frame = response.render({ request: { rawBody: trigger?.text } });
      sent.push(String(frame.data));
    },
  });
  t.after(() => run.stop());
  run.start();
  return { run, sent };
}

describe('WebSocket scenario runs', () => {
  test('sends its send steps in order as soon as it starts', async (t) => {
    const { run, sent } = start(t, { steps: [say('one'), say('two')] });
    await flush();
    assert.deepEqual(sent, ['one', 'two']);
    assert.equal(run.isFinished, true);
  });

  test('an expect takes only a matching message, and the next send can template it', async (t) => {
    const { run, sent } = start(t, {
      steps: [{ type: 'expect', match: { type: 'prefix', value: 'hello' } }, say('got {{request.rawBody}}')],
    });
    await flush();
    assert.equal(run.offer(msg('bye')), false);
    assert.equal(run.offer(msg('hello there')), true);
    await flush();
    assert.deepEqual(sent, ['got hello there']);
  });

  test('an expect without match takes any message', async (t) => {
    const { run } = start(t, { steps: [{ type: 'expect' }] });
    assert.equal(run.offer(msg('anything')), true);
    assert.equal(run.isFinished, true);
  });

  test('a required expect that times out stops the scenario', async (t) => {
    const { run, sent } = start(t, { steps: [{ type: 'expect', timeout: '1s' }, say('never')] });
    t.mock.timers.tick(1000);
    await flush();
    assert.equal(run.isFinished, true);
    assert.equal(run.offer(msg('late')), false);
    assert.deepEqual(sent, []);
  });

  test('an optional expect that times out is skipped', async (t) => {
    const { sent } = start(t, { steps: [{ type: 'expect', timeout: 500, optional: true }, say('after')] });
    t.mock.timers.tick(499);
    await flush();
    assert.deepEqual(sent, []);
    t.mock.timers.tick(1);
    await flush();
    assert.deepEqual(sent, ['after']);
  });

  test(`an expect waits ${DEFAULT_EXPECT_TIMEOUT_MS} ms by default`, async (t) => {
    const { run } = start(t, { steps: [{ type: 'expect', optional: true }, { type: 'expect' }] });
    t.mock.timers.tick(DEFAULT_EXPECT_TIMEOUT_MS - 1);
    assert.equal(run.stepIndex, 0);
    t.mock.timers.tick(1);
    assert.equal(run.stepIndex, 1);
  });

  test('a wait step delays the next step by its duration', async (t) => {
    const { sent } = start(t, { steps: [say('a'), { type: 'wait', duration: '2s' }, say('b')] });
    await flush();
    assert.deepEqual(sent, ['a']);
    t.mock.timers.tick(1999);
    await flush();
    assert.deepEqual(sent, ['a']);
    t.mock.timers.tick(1);
    await flush();
    assert.deepEqual(sent, ['a', 'b']);
  });

  test('loop restarts from the first step after the last, in the same turn when the cycle waits for something', (t) => {
    const { run, sent } = start(t, { steps: [say('tick'), { type: 'expect', match: { type: 'exact', value: 'again' } }], loop: true });
    assert.equal(run.offer(msg('again')), true);
    assert.equal(run.offer(msg('again')), true);
    assert.deepEqual(sent, ['tick', 'tick', 'tick']);
    assert.equal(run.isFinished, false);
  });

  test('a loop of instant steps starts each new cycle on a later turn', async (t) => {
    // Real timers here: fake ones run a timer scheduled at the current tick at once, which would never end.
    let sent = 0;
    const third = deferred();
    const run = new ScenarioRun(compileScenario({ steps: [say('x')], loop: true }), {
      send() {
        if (++sent === 3) third.resolve();
      },
    });
    t.after(() => run.stop());
    run.start();
    assert.equal(sent, 1, 'the first cycle runs at once and the second waits for a later turn');
    await within(third.promise, 'a third cycle of the loop', 2000);
    assert.ok(sent >= 3, 'later cycles ran');
    run.stop();
  });

  test('a send waits its response delay', (t) => {
    const { sent } = start(t, { steps: [{ type: 'send', message: { type: 'text', value: 'slow', delay: 300 } }, say('next')] });
    t.mock.timers.tick(299);
    assert.deepEqual(sent, []);
    t.mock.timers.tick(1);
    assert.deepEqual(sent, ['slow', 'next']);
  });

  test('stop cancels pending steps', async (t) => {
    const { run, sent } = start(t, { steps: [{ type: 'wait', duration: 100 }, say('late')] });
    run.stop();
    t.mock.timers.tick(100);
    await flush();
    assert.deepEqual(sent, []);
    assert.equal(run.isFinished, true);
  });
});
