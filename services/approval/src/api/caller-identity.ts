import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { VerifiedIdentity } from '@gatehouse/identity';

// Keyed by the request object, so nothing is added to Fastify's request type and the identity
// goes away with the request.
const identities = new WeakMap<object, VerifiedIdentity>();

/** Remembers the identity the guard verified for this request. */
export function attachIdentity(request: object, identity: VerifiedIdentity): void {
  identities.set(request, identity);
}

/** The identity verified for this request; throws when no guard ran (a wiring bug, answered 500). */
export function identityOf(request: object): VerifiedIdentity {
  const identity = identities.get(request);
  if (!identity) throw new Error('no verified identity: the route is missing BearerTokenGuard');
  return identity;
}

/** Route parameter decorator: the caller's verified identity. */
export const CallerIdentity = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  identityOf(context.switchToHttp().getRequest<object>()),
);
