// protobuf import (issue 22): one gRPC mock with reflection on answers every method of every service of a proto with
// nested messages, enums, oneofs, maps and a sibling import, with messages valid for their types.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { startMockd } from '../helpers/mockd.ts';
import { readToEnd, callUnary } from '../protocols/grpc/helpers.ts';
import { CONTRACTS, postImport } from './helpers.ts';

const PROTO = join(CONTRACTS, 'proto', 'inventory.proto');
const OPTIONS = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true, includeDirs: [join(CONTRACTS, 'proto')] };

const root = new protobuf.Root();
root.loadSync(PROTO, { keepCase: true });
root.resolveAll();

/** A decoded message is valid when protobufjs accepts it for its type and its enum values are names of the enum. */
function assertValid(typeName: string, message: any): void {
  const type = root.lookupType(typeName);
  const problem = type.verify(type.toObject(type.fromObject(message)));
  assert.equal(problem, null, `${typeName}: ${problem}`);
  const categories = Object.keys(root.lookupEnum('shop.inventory.v1.Category').values);
  if ('category' in message) assert.ok(categories.includes(message.category), `category ${message.category}`);
}

async function importedPort(t: any, streamCount?: number): Promise<{ port: number; m: any }> {
  const m = await startMockd(t, { imports: [{ path: PROTO }] });
  const { body } = await m.api('/mocks');
  assert.equal(body.mocks.length, 1);
  const mock = body.mocks[0];
  assert.equal(mock.type, 'grpc');
  assert.equal(mock.grpc.reflection, true);
  if (streamCount !== undefined) assert.equal(mock.grpc.services['shop.inventory.v1.InventoryService'].methods.ListItems.responses.length, streamCount);
  return { port: mock.grpc.port, m };
}

describe('when a proto with imports, nested messages, enums, oneofs and maps is imported', () => {
  test('a gRPC client calls every method of every service and gets messages valid for their types', async (t) => {
    const { port } = await importedPort(t, 100);
    const pkg = grpc.loadPackageDefinition(loadSync(PROTO, OPTIONS)) as any;
    const inventory = new pkg.shop.inventory.v1.InventoryService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const health = new pkg.shop.inventory.v1.HealthService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    t.after(() => {
      inventory.close();
      health.close();
    });

    const item = await callUnary(inventory, 'GetItem', { sku: 'A-1' });
    assert.equal(item.error, undefined);
    assertValid('shop.inventory.v1.Item', item.response);
    assert.ok(item.response.dimensions && item.response.price, 'nested messages are filled');
    assert.equal(Object.keys(item.response.stock_by_warehouse).length, 1, 'a map gets one entry');
    assert.equal(item.response.availability, 'available_from', 'one member of the oneof is set');

    const listed = await readToEnd(inventory.ListItems({ page_size: 5 }));
    assert.equal(listed.status.code, grpc.status.OK);
    assert.equal(listed.messages.length, 100, 'a streaming method sends 100 messages');
    for (const message of listed.messages) assertValid('shop.inventory.v1.Item', message);

    const { err, summary } = await new Promise<{ err: Error | null; summary: any }>((resolve) => {
      const upload = inventory.UploadCounts({ deadline: Date.now() + 5000 }, (err: Error | null, summary: any) => resolve({ err, summary }));
      upload.write({ sku: 'A-1', warehouse: 'north', quantity: 3 });
      upload.end();
    });
    assert.equal(err, null);
    assertValid('shop.inventory.v1.UploadSummary', summary);

    const watch = inventory.Watch();
    const watched = readToEnd(watch);
    watch.write({ skus: ['A-1'] });
    watch.write({ skus: ['A-2'] });
    watch.end();
    const events = await watched;
    assert.equal(events.status.code, grpc.status.OK);
    assert.equal(events.messages.length, 2, 'the bidi stream answers each message');
    for (const message of events.messages) assertValid('shop.inventory.v1.StockEvent', message);

    const status = await callUnary(health, 'Check', {});
    assert.equal(status.error, undefined);
    assert.ok(['STATUS_SERVING', 'STATUS_NOT_SERVING'].includes(status.response.status));
  });

  test('a proto posted to /import without imports is carried inline and streamCount sets the stream length', async (t) => {
    const m = await startMockd(t);
    const text = 'syntax = "proto3";\npackage demo;\nservice Ticker { rpc Ticks (Req) returns (stream Tick); }\nmessage Req {}\nmessage Tick { int32 n = 1; }\n';
    const r = await postImport(m, text, 'streamCount=7');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.format, 'proto');
    const mock = r.body.mocks[0];
    assert.equal(mock.grpc.protoContent, text);
    const def = grpc.loadPackageDefinition(loadSync(await writeTemp(t, text), { keepCase: true })) as any;
    const client = new def.demo.Ticker(`127.0.0.1:${mock.grpc.port}`, grpc.credentials.createInsecure());
    t.after(() => client.close());
    const { messages } = await readToEnd(client.Ticks({}));
    assert.equal(messages.length, 7);
  });

  test('a proto that does not parse gets 400 with the line', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, 'syntax = "proto3";\npackage x;\nmessage A {\n  string name = ;\n}\n', 'format=proto');
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'validation_error');
    assert.equal(r.body.line, 4);
    assert.match(r.body.message, /line 4/);
  });
});

async function writeTemp(t: any, text: string): Promise<string> {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'mockd-proto-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'demo.proto');
  await writeFile(file, text);
  return file;
}
