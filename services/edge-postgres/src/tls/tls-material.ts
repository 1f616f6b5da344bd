import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import { generate } from 'selfsigned';

/** The certificate the edge offers clients. */
export interface TlsMaterial {
  context: SecureContext;
  /** True when generated at start (dev mode); clients cannot verify it. */
  generated: boolean;
}

/** Loads the configured certificate, or generates a self-signed one for local use. */
export async function loadTlsMaterial(
  certFile: string | undefined,
  keyFile: string | undefined,
): Promise<TlsMaterial> {
  if (certFile && keyFile) {
    return {
      context: createSecureContext({
        cert: readFileSync(certFile),
        key: readFileSync(keyFile),
        minVersion: 'TLSv1.2',
      }),
      generated: false,
    };
  }
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return {
    context: createSecureContext({ cert: pems.cert, key: pems.private, minVersion: 'TLSv1.2' }),
    generated: true,
  };
}
