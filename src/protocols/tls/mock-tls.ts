// The `tls` block of an MQTT or gRPC mock (README "TLS") turned into PEM text: the mock's own files, read relative to
// the config dir, or mockd's own certificate when it names none. A missing, non-PEM or mismatched file is a 400 naming
// the field and the file, on create and on every (re)start.

import { validationError } from '../../errors.ts';
import type { MockTls } from '../../mocks/types.ts';
import type { TlsMaterial } from '../../contract/tls.ts';
import { PemFileError, checkKeyMatches, readPemFile } from '../../util/pem-files.ts';
import type { TlsOptions } from 'node:tls';

export interface ResolvedMockTls {
  cert: string;
  key: string;
  /** CA bundle client certificates are checked against. */
  ca?: string;
  requireClientCert: boolean;
  /** True when the certificate is mockd's own, so a reload swaps it. */
  usesServerCertificate: boolean;
}

/** `field` is the spec's dotted path (`mqtt.tls`, `grpc.tls`); `own` is mockd's certificate, if it has one. */
export function resolveMockTls(t: MockTls, field: string, baseDir: string, own: TlsMaterial | undefined): ResolvedMockTls {
  const read = (key: 'certFile' | 'keyFile' | 'caFile', kind: 'certificate' | 'private key') => {
    try {
      return readPemFile(t[key]!, kind, baseDir);
    } catch (err) {
      throw validationError(`${field}.${key}`, err instanceof PemFileError ? err.message : (err as Error).message);
    }
  };
  let cert: string;
  let key: string;
  let usesServerCertificate = false;
  if (t.certFile !== undefined && t.keyFile !== undefined) {
    cert = read('certFile', 'certificate');
    key = read('keyFile', 'private key');
    try {
      checkKeyMatches(cert, key, t.keyFile, t.certFile);
    } catch (err) {
      throw validationError(`${field}.keyFile`, (err as Error).message);
    }
  } else if (own) {
    cert = own.cert;
    key = own.key;
    usesServerCertificate = true;
  } else {
    throw validationError(field, 'no certificate: give certFile and keyFile, or start mockd with --tls-auto or --tls-cert/--tls-key');
  }
  const ca = t.caFile !== undefined ? read('caFile', 'certificate') : undefined;
  return { cert, key, ...(ca !== undefined ? { ca } : {}), requireClientCert: t.requireClientCert === true, usesServerCertificate };
}

/** The TLS server options of a mock's own listener (MQTT, gRPC): a CA asks for client certificates, `requireClientCert` requires them. */
export function mockTlsServerOptions(t: ResolvedMockTls): TlsOptions {
  return {
    cert: t.cert,
    key: t.key,
    ...(t.ca ? { ca: t.ca } : {}),
    requestCert: t.ca !== undefined,
    rejectUnauthorized: t.requireClientCert,
    handshakeTimeout: 10_000,
  };
}
