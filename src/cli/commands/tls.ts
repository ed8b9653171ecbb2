// `mockd tls ca` and `mockd tls reload` (README "TLS"): the CA to trust, and a certificate reload as SIGHUP does.

import { writeFileSync } from 'node:fs';
import { print, printJson } from '../output.ts';
import { str, type CommandDef } from '../registry.ts';

const ca: CommandDef = {
  path: ['tls', 'ca'],
  description: 'Print the CA certificate that --tls-auto generated (PEM), to make clients trust it',
  options: [['-o, --out <file>', 'Write it to a file instead of stdout']],
  async action(_a, o, { client, json }) {
    const pem = await client.get<string>('/tls/ca.pem');
    const out = str(o.out);
    if (out) {
      writeFileSync(out, pem);
      if (json) return printJson({ written: out });
      return print(`Wrote CA certificate to ${out}`);
    }
    if (json) return printJson({ ca: pem });
    process.stdout.write(pem);
  },
};

const reload: CommandDef = {
  path: ['tls', 'reload'],
  description: 'Reload the TLS certificates for new handshakes (live connections stay)',
  async action(_a, _o, { client, json }) {
    const data = await client.post<{ certificate: { fingerprint256: string } }>('/tls/reload');
    if (json) return printJson(data);
    print(`TLS certificates reloaded (fingerprint ${data.certificate.fingerprint256})`);
  },
};

export const tlsCommands: CommandDef[] = [ca, reload];
