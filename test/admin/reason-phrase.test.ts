// Admin responses carry the standard reason phrase in their status line (`HTTP/1.1 200 OK`), whatever route or
// error produced them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startMockd } from '../helpers/mockd.ts';
import { nextEvent } from '../helpers/wait.ts';

async function statusLine(adminUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(adminUrl);
  const socket = connect(Number(port), hostname);
  socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
  await nextEvent(socket, 'connect');
  // `Connection: close` in every request: the server closes after answering.
  socket.write(request);
  let text = '';
  socket.setEncoding('latin1');
  for await (const chunk of socket) text += chunk;
  return text.split('\r\n')[0]!;
}

describe('admin API status lines', () => {
  test('carry the reason phrase for success, not-found, validation and created answers', async (t) => {
    const mockd = await startMockd(t);
    const host = `Host: ${new URL(mockd.adminUrl).host}\r\nConnection: close\r\n`;
    assert.equal(await statusLine(mockd.adminUrl, `GET /health HTTP/1.1\r\n${host}\r\n`), 'HTTP/1.1 200 OK');
    assert.equal(await statusLine(mockd.adminUrl, `GET /mocks/nope HTTP/1.1\r\n${host}\r\n`), 'HTTP/1.1 404 Not Found');
    const bad = '{"http":{"matcher":{"path":5}}}';
    assert.equal(
      await statusLine(mockd.adminUrl, `POST /mocks HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: ${bad.length}\r\n\r\n${bad}`),
      'HTTP/1.1 400 Bad Request',
    );
    const good = '{"http":{"matcher":{"path":"/x"},"response":{"statusCode":200}}}';
    assert.equal(
      await statusLine(mockd.adminUrl, `POST /mocks HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: ${good.length}\r\n\r\n${good}`),
      'HTTP/1.1 201 Created',
    );
    assert.equal(await statusLine(mockd.adminUrl, `DELETE /mocks HTTP/1.1\r\n${host}\r\n`), 'HTTP/1.1 204 No Content');
  });
});
