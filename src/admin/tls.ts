// TLS on the admin API (README "TLS"): the CA clients should trust, what mockd serves with, and the certificate
// reload that SIGHUP also runs. Every route goes through the coordinator.

import { X509Certificate } from 'node:crypto';
import type { H3 } from 'h3';
import { MockdError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import type { TlsMaterial } from '../contract/tls.ts';
import { json } from './respond.ts';

function tlsOf(c: Coordinator) {
  if (!c.tls) throw new MockdError('not_found', 'TLS is not enabled: start mockd with --tls-auto or --tls-cert/--tls-key');
  return c.tls;
}

function describe(material: TlsMaterial, httpsPort: number | undefined) {
  const cert = new X509Certificate(material.cert);
  return {
    enabled: true,
    ...(httpsPort !== undefined ? { httpsPort } : {}),
    generated: material.ca !== undefined,
    clientAuth: material.clientAuth,
    certificate: { subject: cert.subject, issuer: cert.issuer, subjectAltName: cert.subjectAltName ?? '', validFrom: cert.validFrom, validTo: cert.validTo, fingerprint256: cert.fingerprint256 },
  };
}

export function registerTlsRoutes(app: H3, c: Coordinator): void {
  app.get('/tls', async () => (c.tls ? json(200, describe(c.tls.material, await c.httpsPort())) : json(200, { enabled: false })));

  app.get('/tls/ca.pem', () => {
    const ca = tlsOf(c).caPem;
    if (!ca) throw new MockdError('not_found', 'mockd did not generate a CA (it was started with --tls-cert): trust the issuer of that certificate');
    return new Response(ca, { status: 200, headers: { 'content-type': 'application/x-pem-file' } });
  });

  app.post('/tls/reload', async () => {
    tlsOf(c);
    const material = await c.reloadTlsCertificates();
    return json(200, { message: 'TLS certificates reloaded', ...describe(material, await c.httpsPort()) });
  });
}
