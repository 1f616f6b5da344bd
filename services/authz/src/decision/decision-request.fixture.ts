import type { DecideRequest } from './decision-service.ts';

/** Overrides for {@link decideRequest}; nested objects replace the defaults field by field. */
export interface DecideRequestOverrides {
  actor?: Partial<DecideRequest['actor']>;
  target?: Partial<DecideRequest['target']>;
  context?: Partial<DecideRequest['context']>;
}

/**
 * A decide request body from `ci-bot` in `pipelines` for `text`: SQL on the postgres target
 * `demo`, or a shell command on the ssh target `demo-ssh`; tests change only what they exercise.
 */
export function decideRequest(
  language: DecideRequest['operation']['kind'],
  text: string,
  overrides: DecideRequestOverrides = {},
): DecideRequest {
  const target: DecideRequest['target'] =
    language === 'sql' ? { name: 'demo', kind: 'postgres' } : { name: 'demo-ssh', kind: 'ssh' };
  return {
    session: { id: 'session-1' },
    actor: {
      sub: 'ci-bot',
      groups: ['pipelines'],
      issuer: 'http://127.0.0.1:8090',
      tokenId: 'token-1',
      ...overrides.actor,
    },
    target: { ...target, ...overrides.target },
    operation: { kind: language, text },
    context: { tls: true, clientAddress: '10.1.2.3', ...overrides.context },
  };
}
