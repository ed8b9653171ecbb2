import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, ROOT, eventually, runCli } from '../helpers/mockd.ts';
import { callUnary, connectMqtt, createBroker, createGrpc, greeter, requests, sharedMockd } from './helpers.ts';

const ROW = /^(\d\d:\d\d:\d\d\.\d{3})\s{2,}(\S+)\s{2,}(\S+)\s{2,}(.+)$/;

/** Resolves with everything the process printed once `pattern` shows up in its stdout; rejects after 10 s. */
function stdoutUntil(child: ReturnType<typeof spawn>, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in stdout within 10 s: ${JSON.stringify(out)}`)), 10_000);
    const onData = (d: Buffer) => {
      out += d;
      if (!pattern.test(out)) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(out);
    };
    child.stdout!.on('data', onData);
  });
}

describe('mockd logs and mockd verify', () => {
  const mockd = sharedMockd();

  test('logs --protocol mqtt prints TIME, PROTOCOL, MOCK ID and the MQTT summary, oldest first', async (t) => {
    const m = mockd();
    await m.api('/requests', { method: 'DELETE' });
    const broker = await createBroker(m);
    const grpcMock = await createGrpc(m, { SayHello: { response: { message: 'hi' } } });
    const pub = await connectMqtt(t, broker.port, 'sensor-7');
    await pub.publishAsync('a/b', '1', { qos: 1 });
    await callUnary(greeter(t, grpcMock.port), 'SayHello', { name: 'x' });
    await pub.publishAsync('a/c', '2', { qos: 0 });
    // QoS 0 has no PUBACK: wait for its journal entry, so `mockd logs` runs after it and not merely after a start-up.
    await eventually(() => requests(m, { protocol: 'mqtt', topic: 'a/c' }), (r) => r.count === 1);

    const r = await runCli(['logs', '--protocol', 'mqtt', '--admin-url', m.adminUrl]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^TIME\s{2,}PROTOCOL\s{2,}MOCK ID\s{2,}SUMMARY$/);
    const rows = lines.slice(1).map((l) => ROW.exec(l)?.slice(2));
    assert.deepEqual(rows, [
      ['mqtt', broker.id, 'mqtt sensor-7 in a/b qos1'],
      ['mqtt', broker.id, 'mqtt sensor-7 in a/c qos0'],
    ]);

    const json = JSON.parse((await runCli(['logs', '--protocol', 'mqtt', '--limit', '1', '--json', '--admin-url', m.adminUrl])).stdout);
    assert.deepEqual(json.requests.map((e: any) => e.mqtt.topic), ['a/c']);
  });

  test('verify exits 0 when the check passes and 1 when it fails, printing the message', async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const pub = await connectMqtt(t, broker.port, 'verified');
    await pub.publishAsync('a/b', 'once', { qos: 1 });
    const admin = ['--admin-url', m.adminUrl];

    const pass = await runCli(['verify', broker.id, '--exactly', '1', ...admin]);
    assert.deepEqual([pass.code, pass.stdout], [0, 'Verified: 1 call, expected exactly 1\n']);
    const fail = await runCli(['verify', broker.id, '--exactly', '2', ...admin]);
    assert.deepEqual([fail.code, fail.stdout], [1, 'Verification failed: expected exactly 2, got 1 call\n']);
  });

  test('logs --follow prints an entry that arrives after it started', async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const pub = await connectMqtt(t, broker.port, 'follower');
    await pub.publishAsync('a/b', 'already there', { qos: 1 });

    const child = spawn(process.execPath, [BIN, 'logs', '--follow', '--mock', broker.id, '--admin-url', m.adminUrl], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    const first = await stdoutUntil(child, /mqtt follower in a\/b qos1\n/);
    assert.match(first, /^TIME\s{2,}PROTOCOL\s{2,}MOCK ID\s{2,}SUMMARY$/m);

    const next = stdoutUntil(child, /mqtt follower in follow\/me qos0/);
    await pub.publishAsync('follow/me', 'new', { qos: 0 });
    const printed = await next;
    const line = printed.split('\n').find((l) => l.includes('follow/me'))!;
    assert.deepEqual(ROW.exec(line)?.slice(2), ['mqtt', broker.id, 'mqtt follower in follow/me qos0']);
    assert.doesNotMatch(printed, /TIME\s{2,}PROTOCOL/, 'the header is printed once');
  });
});
