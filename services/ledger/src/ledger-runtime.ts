import type { ConfigOf } from '@gatehouse/config';
import type { Kysely } from '@gatehouse/db';
import type { TokenVerifier } from '@gatehouse/identity';
import type { Logger } from '@gatehouse/logging';
import type { NatsConnection } from '@gatehouse/nats';
import type { ServiceMetrics } from '@gatehouse/service-host';
import type { LedgerSigningKey } from './checkpoint/signing-key.ts';
import type { ledgerConfigSpec } from './ledger-config.ts';
import type { LedgerDatabase } from './storage/ledger-tables.ts';

/** DI token for what main.ts built before Nest starts. */
export const LEDGER_RUNTIME = Symbol('LEDGER_RUNTIME');

/** Process-wide parts the ledger is built from. */
export interface LedgerRuntime {
  config: ConfigOf<typeof ledgerConfigSpec>;
  logger: Logger;
  bus: NatsConnection;
  db: Kysely<LedgerDatabase>;
  metrics: ServiceMetrics;
  tokenVerifier: TokenVerifier;
  /** Checkpoint origin line. */
  origin: string;
  signingKey: LedgerSigningKey;
}
