// Clients and checks shared by the worker pool tests (README "Workers").

import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { loadSync } from '@grpc/proto-loader';
import { canSharePort } from '../../src/coordinator/worker-count.ts';
import type { startMockd } from '../helpers/mockd.ts';
import { connect as connectWs, wsUrl, type Client } from '../protocols/websocket/helpers.ts';
import { StreamReader } from '../protocols/sse/helpers.ts';
import { grpc, HELLO_PROTO, nextMessage } from '../protocols/grpc/helpers.ts';
import { deferred, within } from '../helpers/wait.ts';

/** True where this runtime gives a pool of two; false on Node 20, where every pool has one member. */
export const RUNTIME_SHARES_PORT = canSharePort();
export const CLIENTS = 12;

export type Mockd = Awaited<ReturnType<typeof startMockd>>;

/** Asserts that records came from both members, or says why that cannot be checked on this runtime. */
export function assertBothMembers(t: TestContext, records: { worker?: string }[], kind: 'http' | 'grpc' | 'mqtt'): void {
  if (!RUNTIME_SHARES_PORT) {
    t.diagnostic(`Node ${process.versions.node} cannot share a port: one ${kind} worker, "both members seen" not checked`);
    assert.ok(records.every((r) => r.worker === undefined), 'a pool of one adds no worker field');
    return;
  }
  const workers = new Set(records.map((r) => r.worker));
  assert.deepEqual([...workers].sort(), [`${kind}-1`, `${kind}-2`], `records of both ${kind} members: ${JSON.stringify(records.map((r) => r.worker))}`);
}

export function assertOldestFirst(records: { connectedAt: string }[]): void {
  const times = records.map((r) => r.connectedAt);
  assert.deepEqual(times, [...times].sort());
}

export const GREETER = { 'helloworld.Greeter': { methods: { SayHello: { response: { message: 'hi' } }, Chat: { responses: [{ message: 'pong' }] } } } };
const Greeter = (grpc.loadPackageDefinition(loadSync(HELLO_PROTO, { keepCase: true })) as any).helloworld.Greeter;

/** A Greeter client on a connection of its own (grpc-js otherwise shares one connection between clients). */
export function ownConnectionClient(t: TestContext, port: number): any {
  const client = new Greeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  t.after(() => client.close());
  return client;
}

export async function openChat(t: TestContext, client: any): Promise<grpc.ClientDuplexStream<any, any>> {
  const call = client.Chat();
  call.on('error', () => undefined);
  t.after(() => call.cancel());
  call.write({ name: 'ping' });
  assert.equal((await nextMessage(call)).message, 'pong');
  return call;
}

export async function openSse(t: TestContext, url: string): Promise<StreamReader> {
  const ac = new AbortController();
  t.after(() => ac.abort());
  const reader = new StreamReader(await fetch(url, { signal: ac.signal }));
  await reader.until('tick-1');
  return reader;
}

/** A GET on a connection of its own, so requests spread over the members. */
export function getFresh(url: string): Promise<{ status: number; body: string }> {
  const answer = deferred<{ status: number; body: string }>();
  const req = http.get(url, { agent: false, timeout: 5000 }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d) => (body += d));
    res.on('end', () => answer.resolve({ status: res.statusCode!, body }));
  });
  req.on('timeout', () => req.destroy(new Error('timed out')));
  req.on('error', answer.reject);
  return within(answer.promise, `an answer to GET ${url}`, 10_000);
}

export async function grpcMock(m: Mockd, id: string, spec: Record<string, unknown> = {}): Promise<number> {
  return (await m.createMock({ id, grpc: { port: 0, protoFile: HELLO_PROTO, services: GREETER, ...spec } })).grpc.port;
}

export async function wsClients(t: TestContext, m: Mockd, path: string, n: number): Promise<Client[]> {
  return Promise.all(Array.from({ length: n }, () => connectWs(t, wsUrl(m.mockUrl, path))));
}

