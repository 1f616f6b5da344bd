import { commonFields, env } from '@gatehouse/config';
import { demoPolicyPath } from '@gatehouse/policy';

/** Everything authz reads from its environment. */
export const authzConfigSpec = {
  ...commonFields,
  httpPort: env.port('AUTHZ_HTTP_PORT', { default: 8084, description: 'authz health and metrics port' }),
  policyFile: env.string('POLICY_FILE', {
    default: demoPolicyPath,
    description: 'Policy YAML; reloaded when it changes',
  }),
  maxStatementBytes: env.integer('AUTHZ_MAX_STATEMENT_BYTES', {
    default: 1_048_576,
    min: 1024,
    description: 'Largest statement or command authz classifies; larger ones are denied',
  }),
};
