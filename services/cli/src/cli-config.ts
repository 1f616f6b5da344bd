import { env } from '@gatehouse/config';
import type { ConfigOf } from '@gatehouse/config';

/** Environment the CLI reads (through main.ts only). */
export const cliConfigSpec = {
  issuerUrl: env.url('GATEHOUSE_ISSUER_URL', {
    protocols: ['http:', 'https:'],
    default: 'http://127.0.0.1:8090',
    description: 'Dev OIDC issuer that `gatehouse token` asks for tokens (the local stack runs one)',
  }),
};

/** The CLI's parsed, frozen config. */
export type CliConfig = ConfigOf<typeof cliConfigSpec>;
