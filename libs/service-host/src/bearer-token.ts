import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

const bearer = /^Bearer\s+(\S+)$/i;

/**
 * The verified claims behind a request's OIDC bearer token (RFC 6750), for the guards of the
 * services' HTTP APIs. A missing or invalid token is a 401 whose `WWW-Authenticate` names the
 * scheme, and the error when a token was presented (RFC 6750 section 3); `verify` is the
 * service's TokenVerifier, and anything it throws counts as an invalid token.
 */
export async function verifiedBearer<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  verify: (token: string) => Promise<T>,
): Promise<T> {
  const match = bearer.exec(request.headers.authorization ?? '');
  if (!match) refuseBearer(reply, 'a bearer token is required', undefined);
  try {
    return await verify(match[1]!);
  } catch {
    refuseBearer(reply, 'invalid token', 'invalid_token');
  }
}

/** A valid token without the group a route needs: 403 with `error="insufficient_scope"`. */
export function refuseInsufficientScope(reply: FastifyReply, message: string): never {
  reply.header('www-authenticate', 'Bearer realm="gatehouse", error="insufficient_scope"');
  throw new ForbiddenException(message);
}

function refuseBearer(reply: FastifyReply, message: string, error: string | undefined): never {
  reply.header('www-authenticate', `Bearer realm="gatehouse"${error ? `, error="${error}"` : ''}`);
  throw new UnauthorizedException(message);
}
