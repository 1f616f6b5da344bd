import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { refuseInsufficientScope, verifiedBearer } from '@gatehouse/service-host';
import { LEDGER_RUNTIME, type LedgerRuntime } from '../ledger-runtime.ts';

/** Admits OIDC bearer tokens (RFC 6750) whose groups include the auditor group. */
@Injectable()
export class AuditorGuard implements CanActivate {
  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { groups } = await verifiedBearer(http.getRequest<FastifyRequest>(), reply, (token) =>
      this.runtime.tokenVerifier.verify(token),
    );
    const required = this.runtime.config.auditorGroup;
    if (!groups.includes(required)) refuseInsufficientScope(reply, `the ${required} group is required`);
    return true;
  }
}
