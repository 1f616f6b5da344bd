import { InvalidMessageError } from '@gatehouse/errors';

/** What a caller asks the dev issuer to mint (the JSON body of `POST /token`). */
export interface TokenRequest {
  /** Subject (`sub`). */
  sub: string;
  /** Groups to put in the `groups` claim (default none). */
  groups?: string[];
  /** Lifetime in seconds, at most the issuer's maximum (default the issuer's default TTL). */
  ttlSeconds?: number;
  /** Audience (`aud`), default the issuer's audience. */
  audience?: string;
}

const knownFields: ReadonlySet<string> = new Set(['sub', 'groups', 'ttlSeconds', 'audience']);
const maxNameLength = 256;
const maxGroups = 100;

/**
 * Validates an untrusted token request (parsed JSON or a direct call) and returns it typed.
 * Unknown fields are refused so that a typo (`group`) is not silently ignored.
 * @throws InvalidMessageError listing every problem (problems never echo values).
 */
export function parseTokenRequest(value: unknown, maxTtlSeconds: number): TokenRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidMessageError('token request must be a JSON object', ['body: must be an object']);
  }
  const body = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of Object.keys(body)) {
    if (!knownFields.has(field)) problems.push(`${JSON.stringify(field).slice(0, 40)}: unknown field`);
  }
  const { sub, groups, ttlSeconds, audience } = body;
  if (!isName(sub)) problems.push(`sub: required, a non-empty string of at most ${maxNameLength} characters`);
  if (
    groups !== undefined &&
    !(Array.isArray(groups) && groups.length <= maxGroups && groups.every(isName))
  ) {
    problems.push(`groups: must be an array of at most ${maxGroups} non-empty strings`);
  }
  if (
    ttlSeconds !== undefined &&
    !(
      typeof ttlSeconds === 'number' &&
      Number.isInteger(ttlSeconds) &&
      ttlSeconds >= 1 &&
      ttlSeconds <= maxTtlSeconds
    )
  ) {
    problems.push(`ttlSeconds: must be an integer from 1 to ${maxTtlSeconds}`);
  }
  if (audience !== undefined && !isName(audience)) {
    problems.push(`audience: must be a non-empty string of at most ${maxNameLength} characters`);
  }
  if (problems.length > 0) {
    throw new InvalidMessageError(`invalid token request: ${problems.join('; ')}`, problems);
  }
  const request: TokenRequest = { sub: sub as string };
  if (groups !== undefined) request.groups = [...(groups as string[])];
  if (ttlSeconds !== undefined) request.ttlSeconds = ttlSeconds as number;
  if (audience !== undefined) request.audience = audience as string;
  return request;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxNameLength;
}
