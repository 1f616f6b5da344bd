import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '../ledger-runtime.ts';

/** Admits OIDC bearer tokens whose groups include the auditor group. */
@Injectable()
export class AuditorGuard implements CanActivate {
  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('a bearer token is required');
    let groups: readonly string[];
    try {
      groups = (await this.runtime.tokenVerifier.verify(match[1]!)).groups;
    } catch {
      throw new UnauthorizedException('invalid token');
    }
    if (!groups.includes(this.runtime.config.auditorGroup)) {
      throw new ForbiddenException(`the ${this.runtime.config.auditorGroup} group is required`);
    }
    return true;
  }
}
