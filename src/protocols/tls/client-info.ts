// What a TLS socket says about its session and its client certificate, read once per connection (cached on the
// socket): the `tls` block of connection records, the view mTLS matchers test, and `{{request.tls.*}}`.

import type { Socket } from 'node:net';
import type { TLSSocket, PeerCertificate } from 'node:tls';
import type { ClientCertInfo, TlsInfo, TlsTemplateView } from '../../contract/tls.ts';

interface SocketTls {
  info: TlsInfo;
  client?: ClientCertInfo;
}

const cache = new WeakMap<object, SocketTls>();

function isTls(socket: unknown): socket is TLSSocket {
  return typeof socket === 'object' && socket !== null && (socket as TLSSocket).encrypted === true && typeof (socket as TLSSocket).getCipher === 'function';
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function readClient(socket: TLSSocket): ClientCertInfo | undefined {
  const peer = socket.getPeerCertificate?.(false) as PeerCertificate | undefined;
  if (!peer || Object.keys(peer).length === 0 || !peer.fingerprint256) return undefined;
  const san = { dns: [] as string[], email: [] as string[], ip: [] as string[] };
  for (const part of (peer.subjectaltname ?? '').split(/,\s*/)) {
    const i = part.indexOf(':');
    if (i < 0) continue;
    const kind = part.slice(0, i);
    const value = part.slice(i + 1);
    if (kind === 'DNS') san.dns.push(value);
    else if (kind === 'email') san.email.push(value);
    else if (kind === 'IP Address') san.ip.push(value);
  }
  const subject = peer.subject ?? ({} as PeerCertificate['subject']);
  const out: ClientCertInfo = { san, fingerprint: peer.fingerprint256, authorized: socket.authorized === true };
  const cn = first(subject.CN);
  const o = first(subject.O);
  const ou = first(subject.OU);
  if (cn !== undefined) out.cn = cn;
  if (o !== undefined) out.o = o;
  if (ou !== undefined) out.ou = ou;
  const issuer = first(peer.issuer?.CN);
  if (issuer !== undefined) out.issuer = issuer;
  return out;
}

function read(socket: unknown): SocketTls | undefined {
  if (!isTls(socket)) return undefined;
  let entry = cache.get(socket);
  if (!entry) {
    const cipher = socket.getCipher();
    const client = readClient(socket);
    const info: TlsInfo = { protocol: socket.getProtocol() ?? 'unknown', cipher: cipher?.standardName ?? cipher?.name ?? 'unknown' };
    if (client?.cn !== undefined) info.clientCN = client.cn;
    if (client) info.clientFingerprint = client.fingerprint;
    entry = { info, ...(client ? { client } : {}) };
    cache.set(socket, entry);
  }
  return entry;
}

/** The record's `tls` block; undefined for a plain-TCP socket. */
export function tlsInfoOf(socket: Socket | unknown): TlsInfo | undefined {
  const entry = read(socket);
  return entry && { ...entry.info };
}

/** The client certificate the socket presented, verified or not; undefined without TLS or without a certificate. */
export function clientCertOf(socket: Socket | unknown): ClientCertInfo | undefined {
  return read(socket)?.client;
}

/** `request.tls.*` for templates; undefined for a plain-TCP socket. */
export function tlsTemplateViewOf(socket: Socket | unknown): TlsTemplateView | undefined {
  const entry = read(socket);
  if (!entry) return undefined;
  const c = entry.client;
  return {
    protocol: entry.info.protocol,
    cipher: entry.info.cipher,
    clientCN: c?.cn ?? '',
    clientO: c?.o ?? '',
    clientOU: c?.ou ?? '',
    clientFingerprint: c?.fingerprint ?? '',
    clientSanDns: c?.san.dns.join(',') ?? '',
    clientSanEmail: c?.san.email.join(',') ?? '',
    clientSanIp: c?.san.ip.join(',') ?? '',
  };
}
