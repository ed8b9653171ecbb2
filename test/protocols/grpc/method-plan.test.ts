import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { GrpcMethodConfig } from '../../../src/mocks/types.ts';
import type { ServerCallLike } from '../../../src/protocols/grpc/call-handle.ts';
import { compileMethodPlan, renderPrepared, selectCandidate } from '../../../src/protocols/grpc/method-plan.ts';

/** A stand-in serializer: JSON bytes, throwing on a field named `bad` (as protobufjs throws on a wrong type). */
const serialize = (value: object): Buffer => {
  if (Object.hasOwn(value, 'bad')) throw new Error('bad field');
  return Buffer.from(JSON.stringify(value));
};

function fakeCall(metadata: Record<string, string> = {}): ServerCallLike {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  return Object.assign(new EventEmitter(), { metadata: md, getPeer: () => '127.0.0.1:1', getDeadline: () => Infinity });
}

function compile(config: GrpcMethodConfig) {
  const bytes = new WeakMap<object, Buffer>();
  return { plan: compileMethodPlan(config, serialize, bytes), bytes };
}

describe('compileMethodPlan and selectCandidate', () => {
  const catchAll: GrpcMethodConfig = { response: { message: 'catch-all' } };
  const gold: GrpcMethodConfig = { match: { metadata: { 'x-tier': 'gold' } }, response: { message: 'gold' } };
  const ada: GrpcMethodConfig = { match: { request: { name: 'Ada' } }, response: { message: 'ada' } };
  const cases: { name: string; config: GrpcMethodConfig; request: object; metadata?: Record<string, string>; expected: string | undefined }[] = [
    { name: 'a lone catch-all answers everything', config: catchAll, request: {}, expected: 'catch-all' },
    { name: 'a metadata match wins over the catch-all', config: { ...catchAll, variants: [gold] }, request: {}, metadata: { 'x-tier': 'gold' }, expected: 'gold' },
    { name: 'a failed metadata match falls back', config: { ...catchAll, variants: [gold] }, request: {}, metadata: { 'x-tier': 'tin' }, expected: 'catch-all' },
    { name: 'a request match wins', config: { ...catchAll, variants: [ada] }, request: { name: 'Ada' }, expected: 'ada' },
    { name: 'the first holding match wins, in order', config: { ...ada, variants: [gold, catchAll] }, request: { name: 'Ada' }, metadata: { 'x-tier': 'gold' }, expected: 'ada' },
    { name: 'the first catch-all answers when no match holds', config: { ...ada, variants: [{ response: { message: '1st' } }, { response: { message: '2nd' } }] }, request: {}, expected: '1st' },
    { name: 'nothing answers when only conditioned candidates fail', config: { ...ada, variants: [gold] }, request: {}, expected: undefined },
  ];
  for (const c of cases) {
    test(`selects: ${c.name}`, () => {
      const { plan } = compile(c.config);
      const candidate = selectCandidate(plan, fakeCall(c.metadata), c.request);
      assert.equal(candidate && (renderPrepared(candidate.reply, fakeCall(), c.request) as { message: string }).message, c.expected);
    });
  }

  test('reads durations and the error status once', () => {
    const { plan } = compile({ delay: '250ms', streamDelay: 40, error: { code: 'TEAPOT' } });
    assert.deepEqual({ ...plan.fallback!, reply: undefined, messages: undefined }, {
      match: undefined,
      delayMs: 250,
      streamDelayMs: 40,
      error: { code: grpc.status.UNKNOWN, details: 'TEAPOT' },
      reply: undefined,
      messages: undefined,
    });
  });
});

describe('prepared messages', () => {
  test('a static message is built and serialized once, and equal messages share it', () => {
    const { plan, bytes } = compile({ responses: [{ message: 'hi' }, { message: 'hi' }, { message: 'bye' }] });
    const [first, second, third] = plan.fallback!.messages;
    assert.equal(first, second);
    assert.notEqual(first, third);
    const value = renderPrepared(first!, fakeCall(), {});
    assert.equal(renderPrepared(first!, fakeCall(), {}), value, 'the same object every call');
    assert.deepEqual(bytes.get(value), serialize({ message: 'hi' }));
  });

  test('a templated message renders per call from the request and metadata, and is not pre-serialized', () => {
    const { plan, bytes } = compile({ response: { message: '{{request.body.name}} of {{request.header.x-team}}' } });
    const reply = plan.fallback!.reply;
    const rendered = renderPrepared(reply, fakeCall({ 'x-team': 'blue' }), { name: 'Ada' });
    assert.deepEqual(rendered, { message: 'Ada of blue' });
    assert.equal(bytes.get(rendered), undefined);
  });

  test('answers `response`, else the first of `responses`, else the empty message', () => {
    const replyOf = (config: GrpcMethodConfig) => renderPrepared(compile(config).plan.fallback!.reply, fakeCall(), {});
    assert.deepEqual(replyOf({ response: { message: 'r' }, responses: [{ message: 'first' }] }), { message: 'r' });
    assert.deepEqual(replyOf({ responses: [{ message: 'first' }, { message: 'second' }] }), { message: 'first' });
    assert.deepEqual(replyOf({}), {});
    assert.deepEqual(replyOf({ response: 'not an object' }), {});
  });

  test('a message that does not serialize is left to fail per call', () => {
    const { plan, bytes } = compile({ response: { bad: 1 } });
    const value = renderPrepared(plan.fallback!.reply, fakeCall(), {});
    assert.deepEqual(value, { bad: 1 });
    assert.equal(bytes.has(value), false);
  });
});
