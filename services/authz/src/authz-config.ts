import { commonFields, env } from '@gatehouse/config';
import { demoPolicyPath } from '@gatehouse/policy';

/** Where authz reads its policy document from. */
export const PolicySource = ['file', 'kv'] as const;

/** One of {@link PolicySource}. */
export type PolicySource = (typeof PolicySource)[number];

/** Everything authz reads from its environment. */
export const authzConfigSpec = {
  ...commonFields,
  httpPort: env.port('AUTHZ_HTTP_PORT', { default: 8084, description: 'authz health and metrics port' }),
  policySource: env.oneOf('POLICY_SOURCE', PolicySource, {
    default: 'file',
    description:
      'Where the policy lives: `file` (POLICY_FILE, watched) or `kv` (NATS KV POLICY_KV_BUCKET/POLICY_KV_KEY, watched)',
  }),
  policyFile: env.string('POLICY_FILE', {
    default: demoPolicyPath,
    description: 'Policy YAML; reloaded when it changes. With POLICY_SOURCE=kv it seeds an empty key',
  }),
  policyKvBucket: env.optionalString('POLICY_KV_BUCKET', {
    description: 'NATS KV bucket holding the policy (POLICY_SOURCE=kv); default `<GATEHOUSE_PREFIX>_policy`',
  }),
  policyKvKey: env.string('POLICY_KV_KEY', {
    default: 'current',
    description: 'Key of the policy YAML in POLICY_KV_BUCKET',
  }),
  maxStatementBytes: env.integer('AUTHZ_MAX_STATEMENT_BYTES', {
    default: 1_048_576,
    min: 1024,
    description: 'Largest statement or command authz classifies; larger ones are denied',
  }),
  classificationCacheSize: env.integer('AUTHZ_CLASSIFICATION_CACHE_SIZE', {
    default: 10_000,
    min: 0,
    description: 'Classifications kept per language, by exact text (least recently used evicted; 0 disables)',
  }),
};

/** The KV bucket the policy lives in for a deployment prefix, unless POLICY_KV_BUCKET names one. */
export function policyKvBucket(config: {
  policyKvBucket: string | undefined;
  subjectPrefix: string;
}): string {
  return config.policyKvBucket ?? `${config.subjectPrefix}_policy`;
}
