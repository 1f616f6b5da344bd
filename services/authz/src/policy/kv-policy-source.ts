import { Kvm, type KV, type KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/nats-core';
import type { NatsConnection } from '@gatehouse/nats';
import type { Logger } from 'pino';
import type { PolicySource } from './policy-source.ts';

/** Revisions of the policy key the bucket keeps, so operators can see (and restore) recent versions. */
const HISTORY = 10;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A policy YAML document stored under one key of a NATS KV bucket, watched for changes. Every
 * authz instance watches the same key, so a `nats kv put` reaches all of them. Deleting or purging
 * the key changes nothing: the policy in force stays until a new document is put.
 */
export class KvPolicySource implements PolicySource {
  readonly origin: string;
  #watch: QueuedIterator<KvWatchEntry> | undefined;
  #watching: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly logger: Logger,
    bucket: string,
  ) {
    this.origin = `kv ${bucket}/${key}`;
  }

  /** Opens the bucket, creating it when missing (idempotent, like the streams every service ensures). */
  static async open(
    bus: NatsConnection,
    bucket: string,
    key: string,
    logger: Logger,
  ): Promise<KvPolicySource> {
    const kv = await new Kvm(bus).create(bucket, {
      history: HISTORY,
      description: 'Gatehouse policy documents (YAML) read by authz',
    });
    return new KvPolicySource(kv, key, logger, bucket);
  }

  async read(): Promise<string> {
    const entry = await this.kv.get(this.key);
    if (entry === null || entry.operation !== 'PUT') {
      throw new Error(
        `${this.origin} holds no policy; put one first (e.g. nats kv put <bucket> <key> "$(cat policy.yaml)")`,
      );
    }
    return decoder.decode(entry.value);
  }

  async watch(onText: (text: string) => void): Promise<void> {
    // The default (last value) watch delivers the current entry first, then every update: no gap after read().
    const updates = await this.kv.watch({ key: this.key });
    this.#watch = updates;
    this.#watching = (async () => {
      for await (const entry of updates) this.deliver(entry, onText);
      // The watch rides out reconnects; it ends on its own only when the connection is closed for good.
      if (!this.#closed)
        this.logger.error({ source: this.origin }, 'policy watch ended; changes are no longer followed');
    })().catch((error: unknown) =>
      this.logger.error(
        { err: error, source: this.origin },
        'policy watch failed; changes are no longer followed',
      ),
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#watch?.stop();
    await this.#watching;
  }

  private deliver(entry: KvWatchEntry, onText: (text: string) => void): void {
    if (entry.operation !== 'PUT') {
      this.logger.warn(
        { source: this.origin, operation: entry.operation, revision: entry.revision },
        'policy key deleted; keeping the current policy',
      );
      return;
    }
    let text: string;
    try {
      text = decoder.decode(entry.value);
    } catch (error) {
      this.logger.error(
        { err: error, source: this.origin, revision: entry.revision },
        'policy is not UTF-8; keeping the current policy',
      );
      return;
    }
    try {
      onText(text);
    } catch (error) {
      this.logger.error(
        { err: error, source: this.origin },
        'policy update failed; keeping the current policy',
      );
    }
  }
}
