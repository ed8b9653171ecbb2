// The `mtls` matcher of HTTP and WebSocket mocks (README "TLS"): which verified client certificates a mock answers.
// Every field set must hold; a request without a verified certificate matches no mtls-constrained mock.

import type { ClientCertInfo } from '../../contract/tls.ts';
import type { MtlsMatcher } from '../../mocks/types.ts';

export type ClientCertTest = (cert: ClientCertInfo | undefined) => boolean;

/** Colon-less lowercase hex, so `AB:CD…` and `abcd…` name the same fingerprint. */
function normalizeFingerprint(value: string): string {
  return value.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

export function compileClientCertTest(m: MtlsMatcher): ClientCertTest {
  const cnPattern = m.cnPattern !== undefined ? new RegExp(m.cnPattern) : undefined;
  const fingerprint = m.fingerprint !== undefined ? normalizeFingerprint(m.fingerprint) : undefined;
  return (cert) => {
    if (!cert || !cert.authorized) return false;
    if (m.cn !== undefined && cert.cn !== m.cn) return false;
    if (cnPattern && !cnPattern.test(cert.cn ?? '')) return false;
    if (m.o !== undefined && cert.o !== m.o) return false;
    if (m.ou !== undefined && cert.ou !== m.ou) return false;
    if (m.issuer !== undefined && cert.issuer !== m.issuer) return false;
    if (m.san?.dns !== undefined && !cert.san.dns.includes(m.san.dns)) return false;
    if (m.san?.email !== undefined && !cert.san.email.includes(m.san.email)) return false;
    if (m.san?.ip !== undefined && !cert.san.ip.includes(m.san.ip)) return false;
    if (fingerprint !== undefined && normalizeFingerprint(cert.fingerprint) !== fingerprint) return false;
    return true;
  };
}

/** Short description of the first failing field, for near-miss reasons. */
export function explainClientCert(m: MtlsMatcher, cert: ClientCertInfo | undefined): string {
  if (!cert) return 'mtls: no client certificate';
  if (!cert.authorized) return 'mtls: client certificate not signed by the mTLS CA';
  if (m.cn !== undefined && cert.cn !== m.cn) return `mtls.cn: expected ${m.cn}, got ${cert.cn ?? 'none'}`;
  return 'mtls: client certificate does not match';
}
