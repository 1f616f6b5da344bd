import type { Logger } from 'pino';
import { loadPolicy, type CompiledPolicy } from '@gatehouse/policy';
import type { PolicySource } from './policy-source.ts';

/**
 * Holds the policy in force and follows its source. A new document takes effect only when it is
 * valid and has a new version; an invalid one is logged and ignored, so a typo never opens (or
 * closes) access by accident.
 */
export class PolicyStore {
  #policy: CompiledPolicy;

  private constructor(
    private readonly source: PolicySource,
    policy: CompiledPolicy,
    private readonly logger: Logger,
    private readonly onChange: (policy: CompiledPolicy) => void,
  ) {
    this.#policy = policy;
  }

  /**
   * Loads the source's document (missing or invalid stops the boot: authz never decides without
   * a policy) and follows it. `onChange` runs for every new version in force.
   */
  static async open(
    source: PolicySource,
    logger: Logger,
    onChange: (policy: CompiledPolicy) => void,
  ): Promise<PolicyStore> {
    const store = new PolicyStore(source, loadPolicy(await source.read()), logger, onChange);
    logger.info({ policyVersion: store.current.version, source: source.origin }, 'policy loaded');
    await source.watch((text) => store.offer(text));
    return store;
  }

  /** The policy in force. */
  get current(): CompiledPolicy {
    return this.#policy;
  }

  /**
   * Puts `text` in force when it is a valid policy with a new version; returns whether it did.
   * Never throws: an invalid document is logged with its problems and the current policy stays.
   */
  offer(text: string): boolean {
    let next: CompiledPolicy;
    try {
      next = loadPolicy(text);
    } catch (error) {
      this.logger.error(
        { err: error, source: this.source.origin, policyVersion: this.#policy.version },
        'new policy rejected; keeping the current one',
      );
      return false;
    }
    if (next.version === this.#policy.version) return false;
    const previous = this.#policy.version;
    this.#policy = next;
    this.logger.info({ policyVersion: next.version, previous, source: this.source.origin }, 'policy changed');
    try {
      this.onChange(next);
    } catch (error) {
      this.logger.error({ err: error, policyVersion: next.version }, 'policy change listener failed');
    }
    return true;
  }

  /** Stops following the source. */
  close(): Promise<void> {
    return this.source.close();
  }
}
