// MQTT 3.1.1 §3.1.3.1: a zero-byte ClientId needs CleanSession=1 [MQTT-3.1.3-8]; otherwise the server answers
// CONNACK 2 "identifier rejected" and closes the connection [MQTT-3.1.3-9]. MQTT 3.1 has no zero-byte ids at all.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { startMockd } from '../../helpers/mockd.ts';

const WAIT_MS = 10_000;

function connectPacket({ clean, version = 4 }: { clean: boolean; version?: 3 | 4 }): Buffer {
  const name = version === 4 ? 'MQTT' : 'MQIsdp';
  const variable = Buffer.concat([
    Buffer.from([0x00, name.length]),
    Buffer.from(name),
    Buffer.from([version, clean ? 0x02 : 0x00, 0x00, 0x3c]),
    Buffer.from([0x00, 0x00]), // ClientId: zero bytes
  ]);
  return Buffer.concat([Buffer.from([0x10, variable.length]), variable]);
}

/** Sends CONNECT on a raw socket; resolves with the first bytes received and whether the server closed the socket. */
async function rawConnect(port: number, packet: Buffer): Promise<{ connack: number[]; closed: boolean }> {
  const socket = net.connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect', { signal: AbortSignal.timeout(WAIT_MS) });
    socket.write(packet);
    const [data] = (await once(socket, 'data', { signal: AbortSignal.timeout(WAIT_MS) })) as [Buffer];
    const closed = await Promise.race([
      once(socket, 'close', { signal: AbortSignal.timeout(WAIT_MS) }).then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 1000).unref()),
    ]);
    return { connack: [...data.subarray(0, 4)], closed };
  } finally {
    socket.destroy();
  }
}

describe('an MQTT CONNECT with a zero-byte client id', () => {
  let port: number;
  let admin: Awaited<ReturnType<typeof startMockd>>;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    admin = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
    port = (await admin.createMock({ mqtt: { port: 0, topics: [{ topic: 'ids/t' }] } })).mqtt.port;
  });
  after(async () => {
    for (const fn of cleanups) await fn();
  });

  test('and CleanSession=0 gets CONNACK 2 (identifier rejected) and the connection closed', async () => {
    assert.deepEqual(await rawConnect(port, connectPacket({ clean: false })), { connack: [0x20, 0x02, 0x00, 0x02], closed: true });
    assert.equal((await admin.api('/mqtt-connections')).body.connections.length, 0);
  });

  test('over MQTT 3.1 gets CONNACK 2 and the connection closed, whatever CleanSession says', async () => {
    assert.deepEqual(await rawConnect(port, connectPacket({ clean: true, version: 3 })), { connack: [0x20, 0x02, 0x00, 0x02], closed: true });
  });

  test('and CleanSession=1 is accepted with CONNACK 0 and kept open', async () => {
    assert.deepEqual(await rawConnect(port, connectPacket({ clean: true })), { connack: [0x20, 0x02, 0x00, 0x00], closed: false });
  });
});
