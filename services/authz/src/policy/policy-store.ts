import { readFile } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import { loadPolicy, type CompiledPolicy } from '@gatehouse/policy';

/**
 * Holds the policy in force. Reloads when the file changes; an invalid new document is logged
 * and ignored, so a typo never opens (or closes) access by accident.
 */
export class PolicyStore {
  #policy: CompiledPolicy;
  #watcher: FSWatcher | undefined;
  #reloadTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly path: string,
    policy: CompiledPolicy,
    private readonly logger: Logger,
    private readonly onChange: (policy: CompiledPolicy) => void,
  ) {
    this.#policy = policy;
  }

  /** Loads the file (an invalid policy stops the boot) and starts watching it. */
  static async open(
    path: string,
    logger: Logger,
    onChange: (policy: CompiledPolicy) => void,
  ): Promise<PolicyStore> {
    const store = new PolicyStore(path, loadPolicy(await readFile(path, 'utf8')), logger, onChange);
    store.#watcher = watch(path, () => store.scheduleReload());
    logger.info({ policyVersion: store.current.version, path }, 'policy loaded');
    return store;
  }

  /** The policy in force. */
  get current(): CompiledPolicy {
    return this.#policy;
  }

  /** Reads the file again now; returns whether the version changed. */
  async reload(): Promise<boolean> {
    let next: CompiledPolicy;
    try {
      next = loadPolicy(await readFile(this.path, 'utf8'));
    } catch (error) {
      this.logger.error({ err: error, path: this.path }, 'new policy rejected; keeping the current one');
      return false;
    }
    if (next.version === this.#policy.version) return false;
    this.#policy = next;
    this.logger.info({ policyVersion: next.version }, 'policy reloaded');
    this.onChange(next);
    return true;
  }

  /** Stops watching. */
  close(): void {
    clearTimeout(this.#reloadTimer);
    this.#watcher?.close();
  }

  // Editors write files in several steps; wait for the writes to settle.
  private scheduleReload(): void {
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => void this.reload(), 150);
  }
}
