// Server-side TLS options from the material the coordinator hands a worker (src/contract/tls.ts), and the swap of a
// live server's certificate for new handshakes (`POST /tls/reload`, SIGHUP): tls.Server#setSecureContext changes what
// the next handshake sees and leaves every established connection as it is.

import type { SecureContextOptions, Server as TlsServer, TlsOptions } from 'node:tls';
import type { TlsMaterial } from '../../contract/tls.ts';

/** Options for a TLS server; client certificates are requested per `clientAuth` and checked against `clientCa`. */
export function serverTlsOptions(material: TlsMaterial, alpn?: string[]): TlsOptions {
  const requestCert = material.clientAuth !== 'none';
  return {
    ...contextOptions(material),
    requestCert,
    // `request`: a client without a certificate (or with one the CA did not sign) still connects; mTLS matchers then
    // see `authorized: false` and match no mtls-constrained mock. `require`: the handshake fails.
    rejectUnauthorized: material.clientAuth === 'require',
    ...(alpn ? { ALPNProtocols: alpn } : {}),
  };
}

export function contextOptions(material: TlsMaterial): SecureContextOptions {
  return { cert: material.cert, key: material.key, ...(material.clientCa ? { ca: material.clientCa } : {}) };
}

/** New handshakes on `server` use `material`; connections already established keep theirs. */
export function swapCertificate(server: TlsServer, material: TlsMaterial): void {
  server.setSecureContext(contextOptions(material));
}
