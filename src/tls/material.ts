// The server's TLS material at startup (README "TLS"): `--tls-cert`/`--tls-key` files, or `--tls-auto` certificates
// made by mockd — kept in `<dataDir>/tls/` and reused while they are valid and cover the names, or in memory with
// `--no-persist` — plus the `--mtls-ca` bundle. The same function runs again on `POST /tls/reload` and SIGHUP.

import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientAuth, TlsMaterial } from '../contract/tls.ts';
import { certificateCovers, checkKeyMatches, readPemFile } from '../util/pem-files.ts';
import { generateCa, generateServerCert, serverNames, type CertAndKey } from './generate.ts';

export interface TlsSettings {
  certFile?: string;
  keyFile?: string;
  auto?: boolean;
  /** Where `--tls-auto` keeps its CA and server certificate; unset = memory only (`--no-persist`, `--config`). */
  dir?: string;
  host: string;
  mtlsCaFile?: string;
  clientAuth?: ClientAuth;
}

/** True when the settings ask for TLS at all. */
export function wantsTls(s: Pick<TlsSettings, 'certFile' | 'keyFile' | 'auto'>): boolean {
  return Boolean(s.certFile || s.keyFile || s.auto);
}

/** Loads or makes the material; rejects with a PemFileError (naming the file) or a plain Error. */
/**
 * `reload`: called again on `POST /tls/reload` or SIGHUP. Files are read again; generated certificates get a new server
 * certificate from the same CA (clients that trust the CA keep working, and the new handshake sees a new certificate).
 */
export async function loadTlsMaterial(s: TlsSettings, reload?: { ca?: CertAndKey }): Promise<TlsMaterial & { caKey?: string }> {
  let server: CertAndKey;
  let ca: CertAndKey | undefined;
  if (s.certFile || s.keyFile) {
    if (!s.certFile || !s.keyFile) throw new Error('--tls-cert and --tls-key must be given together');
    const cert = readPemFile(s.certFile, 'certificate');
    const key = readPemFile(s.keyFile, 'private key');
    checkKeyMatches(cert, key, s.keyFile, s.certFile);
    server = { cert, key };
  } else if (s.auto) {
    const made = await autoCertificates(s.host, s.dir, reload?.ca, reload !== undefined);
    server = made.server;
    ca = made.ca;
  } else {
    throw new Error('no TLS certificate: give --tls-cert and --tls-key, or --tls-auto');
  }
  const clientAuth = s.clientAuth ?? (s.mtlsCaFile ? 'require' : 'none');
  const clientCa = s.mtlsCaFile ? readPemFile(s.mtlsCaFile, 'certificate') : undefined;
  if (clientAuth !== 'none' && !clientCa) throw new Error(`--mtls-client-auth ${clientAuth} needs --mtls-ca FILE`);
  return { cert: server.cert, key: server.key, ...(ca ? { ca: ca.cert, caKey: ca.key } : {}), ...(clientCa ? { clientCa } : {}), clientAuth };
}

/** Generated CA + server certificate, reused from `dir` while valid for the names; written back when new. */
async function autoCertificates(host: string, dir: string | undefined, memoryCa: CertAndKey | undefined, rotate: boolean): Promise<{ ca: CertAndKey; server: CertAndKey }> {
  const names = serverNames(host);
  const files = dir ? { ca: join(dir, 'ca.pem'), caKey: join(dir, 'ca-key.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server-key.pem') } : undefined;
  const stored = files ? await readStored(files) : undefined;
  let ca = stored?.ca ?? memoryCa;
  if (ca && !certificateCovers(ca.cert, [])) ca = undefined;
  if (!rotate && stored?.server && ca && stored.ca === ca && certificateCovers(stored.server.cert, names)) return { ca, server: stored.server };
  ca ??= await generateCa();
  const server = await generateServerCert(ca, host);
  if (files && dir) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeAtomically(files.ca, ca.cert);
    await writeAtomically(files.caKey, ca.key, 0o600);
    await writeAtomically(files.cert, server.cert);
    await writeAtomically(files.key, server.key, 0o600);
  }
  return { ca, server };
}

async function readStored(files: { ca: string; caKey: string; cert: string; key: string }): Promise<{ ca?: CertAndKey; server?: CertAndKey } | undefined> {
  const read = (p: string) => readFile(p, 'utf8').catch(() => undefined);
  const [ca, caKey, cert, key] = await Promise.all([read(files.ca), read(files.caKey), read(files.cert), read(files.key)]);
  const caPair = ca && caKey ? { cert: ca, key: caKey } : undefined;
  if (caPair) {
    try {
      checkKeyMatches(caPair.cert, caPair.key, files.caKey, files.ca);
    } catch {
      return undefined;
    }
  }
  let server: CertAndKey | undefined;
  if (cert && key) {
    try {
      checkKeyMatches(cert, key, files.key, files.cert);
      server = { cert, key };
    } catch {
      server = undefined;
    }
  }
  return { ca: caPair, server };
}

async function writeAtomically(path: string, text: string, mode = 0o644): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, path);
}
