import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifiedBearer } from '@gatehouse/service-host';
import { APPROVAL_RUNTIME, type ApprovalRuntime } from '../approval-runtime.ts';
import { attachIdentity } from './caller-identity.ts';

/**
 * Admits requests with a valid OIDC bearer token (RFC 6750) and attaches the verified identity.
 * Who may do what with a request is decided per request, by its approver groups.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(@Inject(APPROVAL_RUNTIME) private readonly runtime: ApprovalRuntime) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const identity = await verifiedBearer(request, http.getResponse<FastifyReply>(), (token) =>
      this.runtime.tokenVerifier.verify(token),
    );
    attachIdentity(request, identity);
    return true;
  }
}
