// Certificates mockd makes itself (`--tls-auto`): a CA, a server certificate it signs for the names clients use, and,
// for tests and for users who try mTLS, client certificates signed by the same CA.

import { isIP } from 'node:net';
import { importPrivateKey, newKeyPair, privateKeyPem, randomSerial, x509, KEY_ALGORITHM } from './x509.ts';

export interface CertAndKey {
  cert: string;
  key: string;
}

const DAY_MS = 86_400_000;

function validity(days: number): { notBefore: Date; notAfter: Date } {
  // A minute of slack for clocks that differ a little between mockd and its clients.
  return { notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + days * DAY_MS) };
}

/** A self-signed CA that may sign certificates only (no intermediate CAs). */
export async function generateCa(commonName = 'mockd local CA', days = 365): Promise<CertAndKey> {
  const keys = await newKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${commonName}, O=mockd`,
    ...validity(days),
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

export interface LeafOptions {
  commonName: string;
  /** DNS names and IP addresses for the subjectAltName. */
  names?: string[];
  emails?: string[];
  organization?: string;
  organizationalUnit?: string;
  usage: 'server' | 'client';
  days?: number;
}

/** A certificate signed by `ca` for a server (names in subjectAltName) or a client (CN, O, OU). */
export async function generateLeaf(ca: CertAndKey, opts: LeafOptions): Promise<CertAndKey> {
  const keys = await newKeyPair();
  const issuer = new x509.X509Certificate(ca.cert);
  const caKey = await importPrivateKey(ca.key);
  const subject = [`CN=${escapeRdn(opts.commonName)}`];
  if (opts.organizationalUnit) subject.push(`OU=${escapeRdn(opts.organizationalUnit)}`);
  if (opts.organization) subject.push(`O=${escapeRdn(opts.organization)}`);
  const alt = [
    ...(opts.names ?? []).map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n })),
    ...(opts.emails ?? []).map((e) => ({ type: 'email' as const, value: e })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(issuer, false),
  ];
  if (alt.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(alt));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: subject.join(', '),
    issuer: issuer.subject,
    ...validity(opts.days ?? 90),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: KEY_ALGORITHM,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

/** The names a generated server certificate covers: localhost, the loopback addresses and `--host`. */
export function serverNames(host: string): string[] {
  const names = ['localhost', '127.0.0.1', '::1'];
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare !== '' && bare !== '0.0.0.0' && bare !== '::' && !names.includes(bare)) names.push(bare);
  return names;
}

export function generateServerCert(ca: CertAndKey, host: string): Promise<CertAndKey> {
  return generateLeaf(ca, { commonName: 'localhost', names: serverNames(host), organization: 'mockd', usage: 'server' });
}

export function generateClientCert(ca: CertAndKey, commonName: string, extra: Omit<LeafOptions, 'commonName' | 'usage'> = {}): Promise<CertAndKey> {
  return generateLeaf(ca, { commonName, usage: 'client', ...extra });
}

function escapeRdn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}
