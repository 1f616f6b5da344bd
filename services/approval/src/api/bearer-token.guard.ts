import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APPROVAL_RUNTIME, type ApprovalRuntime } from '../approval-runtime.ts';
import { attachIdentity } from './caller-identity.ts';

const bearer = /^Bearer\s+(\S+)$/i;

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
    const match = bearer.exec(request.headers.authorization ?? '');
    if (!match) this.refuse(http.getResponse<FastifyReply>(), 'a bearer token is required', undefined);
    try {
      attachIdentity(request, await this.runtime.tokenVerifier.verify(match[1]!));
    } catch {
      this.refuse(http.getResponse<FastifyReply>(), 'invalid token', 'invalid_token');
    }
    return true;
  }

  // RFC 6750 section 3: a 401 names the scheme, and the error when a token was presented.
  private refuse(reply: FastifyReply, message: string, error: string | undefined): never {
    reply.header('www-authenticate', `Bearer realm="gatehouse"${error ? `, error="${error}"` : ''}`);
    throw new UnauthorizedException(message);
  }
}
