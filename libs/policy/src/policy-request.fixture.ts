import type { OperationFacts } from './operation-facts.ts';
import type { PolicyRequest } from './policy-request.ts';

/** Overrides for {@link makeRequest}; nested objects replace the defaults field by field. */
export interface RequestOverrides {
  actor?: Partial<PolicyRequest['actor']>;
  target?: Partial<PolicyRequest['target']>;
  language?: PolicyRequest['operation']['language'];
  facts?: Partial<OperationFacts>;
  context?: Partial<PolicyRequest['context']>;
}

/**
 * A request from `ci-bot` in `pipelines`, reading `customers` on the postgres target `demo` over
 * TLS from 10.1.2.3 on Wednesday 2025-01-15 at 12:00 UTC; tests change only what they exercise.
 */
export function makeRequest(overrides: RequestOverrides = {}): PolicyRequest {
  return {
    actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: 'https://issuer.test', ...overrides.actor },
    target: { name: 'demo', kind: 'postgres', ...overrides.target },
    operation: {
      language: overrides.language ?? 'sql',
      classification: {
        riskClass: 'read',
        kinds: ['select'],
        riskFlags: [],
        relationsRead: ['customers'],
        relationsWritten: [],
        functions: [],
        ...overrides.facts,
      },
    },
    context: {
      tls: true,
      clientAddress: '10.1.2.3',
      time: new Date('2025-01-15T12:00:00Z'),
      ...overrides.context,
    },
  };
}

/** A policy document with the given rules (YAML flow text, one rule per entry) and defaults. */
export function policyYaml(rules: readonly string[], header = ''): string {
  return [
    'version: 1',
    'name: test',
    'maskingProfiles: [default, strict]',
    header,
    rules.length === 0 ? 'rules: []' : 'rules:',
    ...rules.map((rule) => `  - { ${rule} }`),
  ].join('\n');
}
