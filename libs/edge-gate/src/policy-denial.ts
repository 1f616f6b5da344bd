import type { Decision } from '@gatehouse/contracts';
import { PolicyDeniedError } from '@gatehouse/errors';
import type { OperationLanguage } from './operation-language.ts';

/** What a client is told an operation is, by language. */
const operationNoun: Record<OperationLanguage, string> = { sql: 'statement', shell: 'command' };

/** The error a client sees for an operation the policy denied: the policy's reason, and its rule. */
export function policyDenial(language: OperationLanguage, decision: Decision): PolicyDeniedError {
  return new PolicyDeniedError(
    `Gatehouse policy denied this ${operationNoun[language]}: ${decision.reason}`,
    decision.rule,
  );
}
