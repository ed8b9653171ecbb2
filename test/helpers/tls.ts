// TLS for black-box tests: a mockd with `--tls-auto` and an HTTPS port, the CA it generated, clients that trust it,
// and client certificates made with the same library mockd uses (src/tls/generate.ts).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { Agent, fetch as undiciFetch } from 'undici';
import type { StartOptions } from '../../src/server.ts';
import { generateCa, generateClientCert, type CertAndKey } from '../../src/tls/generate.ts';
import { startMockd, tempDir } from './mockd.ts';
import { deferred, within } from './wait.ts';

type Ctx = Parameters<typeof startMockd>[0];

/** A mockd with generated certificates and an HTTPS port; `ca` is the PEM its `/tls/ca.pem` serves. */
export async function startTlsMockd(t: Ctx, opts: StartOptions = {}) {
  const m = await startMockd(t, { tlsAuto: true, httpsPort: 0, ...opts });
  const res = await fetch(`${m.adminUrl}/tls/ca.pem`, { signal: AbortSignal.timeout(15_000) });
  if (res.status !== 200) throw new Error(`GET /tls/ca.pem: ${res.status}`);
  const ca = await res.text();
  return Object.assign(m, { ca, httpsUrl: m.httpsUrl! });
}

/** An undici dispatcher that trusts `ca` and, when given, presents a client certificate. */
export function trustingAgent(ca: string, client?: CertAndKey, allowH2 = false): Agent {
  return new Agent({ connect: { ca, ...(client ? { cert: client.cert, key: client.key } : {}) }, allowH2 });
}

/** fetch over HTTPS through `agent`, bounded like fetchWithTimeout. */
export function fetchTls(url: string, agent: Agent, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return undiciFetch(url, { ...init, dispatcher: agent, signal: AbortSignal.timeout(15_000) });
}

/** A test CA for mTLS, written to a temp dir (for `--mtls-ca`), and a way to issue client certificates from it. */
export async function makeClientCa(t: Ctx) {
  const ca = await generateCa('mockd test client CA', 2);
  const dir = tempDir(t, 'mockd-mtls-');
  const file = join(dir, 'client-ca.pem');
  writeFileSync(file, ca.cert);
  return { ca, file, dir, issue: (cn: string, extra: Parameters<typeof generateClientCert>[2] = {}) => generateClientCert(ca, cn, extra) };
}

/** The SHA-256 fingerprint of the certificate a fresh TLS handshake to `port` sees. */
export async function handshakeFingerprint(port: number, ca: string, extra: ConnectionOptions = {}): Promise<string> {
  const done = deferred<string>();
  const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost', ...extra }, () => {
    const pem = socket.getPeerX509Certificate();
    done.resolve(pem ? pem.fingerprint256 : '');
    socket.end();
  });
  socket.on('error', done.reject);
  try {
    return await within(done.promise, `a TLS handshake with port ${port}`);
  } finally {
    socket.destroy();
  }
}

export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

export function writePem(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** `ws` client options for wss:// to mockd: trust `ca`, name the certificate's host, present `client` if given. */
export function wssOptions(ca: string, client?: CertAndKey): Record<string, unknown> {
  return { ca, servername: 'localhost', ...(client ? { cert: client.cert, key: client.key } : {}) };
}
