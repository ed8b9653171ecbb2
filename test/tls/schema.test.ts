// The TLS fields of mocks (README "TLS") are checked on create: bad values are a 400 naming the field, and files named
// in a gRPC or MQTT `tls` block must exist and hold matching PEM.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';
import { HELLO_PROTO } from '../protocols/grpc/helpers.ts';

describe('TLS fields of mocks', () => {
  test('bad mtls matchers, tlsPort without tls, missing gRPC files and TLS without a certificate are 400s naming the field', async (t) => {
    const m = await startMockd(t);
    const cases: [unknown, string, RegExp][] = [
      [{ http: { matcher: { path: '/a', mtls: { fingerprint: 'xyz' } }, response: { statusCode: 200 } } }, 'http.matcher.mtls.fingerprint', /SHA-256 fingerprint/],
      [{ http: { matcher: { path: '/a', mtls: {} }, response: { statusCode: 200 } } }, 'http.matcher.mtls', /at least one of/],
      [{ http: { matcher: { path: '/a', mtls: { cnPattern: '(' } }, response: { statusCode: 200 } } }, 'http.matcher.mtls.cnPattern', /invalid regular expression/],
      [{ type: 'websocket', websocket: { path: '/w', mtls: { cn: '' } } }, 'websocket.mtls.cn', /must not be empty/],
      [{ type: 'mqtt', mqtt: { port: 0, tlsPort: 0 } }, 'mqtt.tlsPort', /needs tls.enabled/],
      [{ type: 'mqtt', mqtt: { port: 0, tls: { enabled: true, certFile: 'a.pem' } } }, 'mqtt.tls.keyFile', /go together/],
      // No files and no --tls-auto/--tls-cert: there is no certificate to serve with.
      [{ type: 'mqtt', mqtt: { port: 0, tls: { enabled: true } } }, 'mqtt.tls', /no certificate/],
      [{ type: 'grpc', grpc: { port: 0, protoFile: HELLO_PROTO, tls: { enabled: true, certFile: '/nonexistent/c.pem', keyFile: '/nonexistent/k.pem' } } }, 'grpc.tls.certFile', /\/nonexistent\/c\.pem: file not found/],
    ];
    for (const [mock, field, message] of cases) {
      const r = await m.api('/mocks', { method: 'POST', body: mock });
      assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.field, field);
      assert.match(r.body.message, message);
    }
    assert.equal((await m.api('/mocks')).body.total, 0, 'nothing was stored');
  });
});
