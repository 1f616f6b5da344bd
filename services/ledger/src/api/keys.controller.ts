import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import type { KeysView } from '@gatehouse/ledger-verify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '../ledger-runtime.ts';
import { AuditorGuard } from './auditor.guard.ts';

/** The published verifier key of checkpoints. */
@Controller('v1')
@UseGuards(AuditorGuard)
export class KeysController {
  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  /** GET /v1/keys: the note verifier key and the same key as a JWK Set. */
  @Get('keys')
  keys(): KeysView {
    const { origin, signingKey } = this.runtime;
    return { origin, noteVerifierKey: signingKey.verifierKey, jwks: { keys: [signingKey.jwk] } };
  }
}
