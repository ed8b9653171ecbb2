// Reading certificate, key and CA files with errors that name the file and say what is wrong with it: missing, not
// PEM, not the kind expected, or a key that does not belong to the certificate. The startup flags (`--tls-cert`) and
// the per-mock files (`mqtt.tls.certFile`) use the same checks; each caller says how the error reaches the user.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

export class PemFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export type PemKind = 'certificate' | 'private key';

const MARKERS: Record<PemKind, RegExp> = {
  certificate: /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/,
  'private key': /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/,
};

/** Reads a PEM file (relative to `baseDir`) and checks that it holds a parseable `kind`; returns its text. */
export function readPemFile(file: string, kind: PemKind, baseDir = process.cwd()): string {
  const path = resolve(baseDir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PemFileError(file, code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? (err as Error).message})`);
  }
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) throw new PemFileError(file, `not a PEM file (expected a ${kind})`);
  if (!MARKERS[kind].test(text)) throw new PemFileError(file, `holds no PEM ${kind}`);
  try {
    if (kind === 'certificate') new X509Certificate(text);
    else createPrivateKey(text);
  } catch (err) {
    throw new PemFileError(file, `the PEM ${kind} does not parse (${(err as Error).message})`);
  }
  return text;
}

/** Throws unless `keyPem` is the private key of the (first) certificate in `certPem`; names `keyFile`. */
export function checkKeyMatches(certPem: string, keyPem: string, keyFile: string, certFile: string): void {
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new PemFileError(keyFile, `the private key does not parse (${(err as Error).message})`);
  }
  if (!new X509Certificate(certPem).checkPrivateKey(key)) {
    throw new PemFileError(keyFile, `the private key does not match the certificate in ${certFile}`);
  }
}

/** Whether a certificate is valid for at least `marginMs` more and covers every name in `names`. */
export function certificateCovers(certPem: string, names: readonly string[], marginMs = 86_400_000): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (Date.parse(cert.validTo) - Date.now() < marginMs) return false;
    if (Date.parse(cert.validFrom) > Date.now() + 60_000) return false;
    const alt = cert.subjectAltName ?? '';
    return names.every((n) => alt.includes(`DNS:${n}`) || cert.checkIP(n) !== undefined);
  } catch {
    return false;
  }
}
