import type { NatsConnection } from '@gatehouse/nats';
import type { Logger } from 'pino';
import { policyKvBucket, type PolicySource as PolicySourceName } from '../authz-config.ts';
import { FilePolicySource } from './file-policy-source.ts';
import { KvPolicySource } from './kv-policy-source.ts';
import type { PolicySource } from './policy-source.ts';

/** The settings {@link openPolicySource} reads (a subset of authz's config). */
export interface PolicySourceSettings {
  readonly policySource: PolicySourceName;
  readonly policyFile: string;
  readonly policyKvBucket: string | undefined;
  readonly policyKvKey: string;
  readonly subjectPrefix: string;
}

/** The policy source POLICY_SOURCE names. */
export async function openPolicySource(
  settings: PolicySourceSettings,
  bus: NatsConnection,
  logger: Logger,
): Promise<PolicySource> {
  if (settings.policySource === 'kv') {
    return KvPolicySource.open(bus, policyKvBucket(settings), settings.policyKvKey, logger);
  }
  return new FilePolicySource(settings.policyFile, logger);
}
