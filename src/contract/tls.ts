// TLS facts both threads share (README "TLS"): the certificate material the coordinator hands every worker, the
// `tls` block of a live connection record, and what mTLS matching sees of a client certificate. Plain data only.

/** How the HTTPS port treats client certificates (`--mtls-client-auth`). */
export type ClientAuth = 'none' | 'request' | 'require';
export const CLIENT_AUTH_MODES: readonly ClientAuth[] = ['none', 'request', 'require'];

/** PEM text of the server's certificate and key, and of the CA that client certificates are checked against. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** The CA that issued `cert` when mockd generated it (`--tls-auto`), served at `GET /tls/ca.pem`. */
  ca?: string;
  /** `--mtls-ca`: CA(s) a client certificate must chain to on the HTTPS port. */
  clientCa?: string;
  clientAuth: ClientAuth;
}

/** The `tls` block of a WebSocket, SSE, MQTT or gRPC connection record. */
export interface TlsInfo {
  /** `TLSv1.3`, `TLSv1.2`. */
  protocol: string;
  /** The negotiated cipher suite, e.g. `TLS_AES_256_GCM_SHA384`. */
  cipher: string;
  clientCN?: string;
  /** SHA-256 of the client certificate, colon-separated uppercase hex (as node's X509Certificate.fingerprint256). */
  clientFingerprint?: string;
}

/** A verified client certificate as mTLS matchers and `{{request.tls.*}}` see it. */
export interface ClientCertInfo {
  cn?: string;
  o?: string;
  ou?: string;
  /** The issuer's common name. */
  issuer?: string;
  san: { dns: string[]; email: string[]; ip: string[] };
  fingerprint: string;
  /** The chain was verified against `--mtls-ca` (false when the client sent one the CA did not sign). */
  authorized: boolean;
}

/** What the request template sees as `request.tls.*` (empty strings when there is no client certificate). */
export interface TlsTemplateView {
  protocol: string;
  cipher: string;
  clientCN: string;
  clientO: string;
  clientOU: string;
  clientFingerprint: string;
  clientSanDns: string;
  clientSanEmail: string;
  clientSanIp: string;
}
