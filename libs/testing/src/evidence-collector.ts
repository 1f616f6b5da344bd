import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { MessageType, decodeMessage, type EvidenceRecord } from '@gatehouse/contracts';

/** Every evidence record a test run published, read back from the real EVIDENCE stream. */
export interface EvidenceCollector {
  readonly records: EvidenceRecord[];
  /** Resolves with the records of `sessionId` once `done` holds for them (rejects after `timeoutMs`). */
  session(
    sessionId: string,
    done: (records: EvidenceRecord[]) => boolean,
    timeoutMs?: number,
  ): Promise<EvidenceRecord[]>;
  /** Resolves with the first record matching `accept`. Both reject once an invalid record was read. */
  find(accept: (record: EvidenceRecord) => boolean, timeoutMs?: number): Promise<EvidenceRecord>;
  stop(): Promise<void>;
}

/**
 * Reads an evidence stream (`streamNameFor(prefix, 'EVIDENCE')` of @gatehouse/nats) from its start
 * with an ordered JetStream consumer, validating every batch against its contract (a
 * schema-invalid batch fails the test that waits for it).
 */
export async function collectEvidence(bus: NatsConnection, stream: string): Promise<EvidenceCollector> {
  const consumer = await jetstream(bus).consumers.get(stream);
  const messages = await consumer.consume();
  const records: EvidenceRecord[] = [];
  let invalid: unknown;
  void (async () => {
    for await (const message of messages) {
      try {
        records.push(...decodeMessage(MessageType.EvidenceBatch, message.data).body.records);
      } catch (error) {
        invalid ??= error;
      }
    }
  })();
  const poll = async <T>(look: () => T | undefined, timeoutMs: number, what: string): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (invalid !== undefined) throw invalid;
      const found = look();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no evidence: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return {
    records,
    session: (sessionId, done, timeoutMs = 5000) =>
      poll(
        () => {
          const own = records.filter((record) => record.session.id === sessionId);
          return done(own) ? own.sort((a, b) => a.session.seq - b.session.seq) : undefined;
        },
        timeoutMs,
        `session ${sessionId}`,
      ),
    find: (accept, timeoutMs = 5000) => poll(() => records.find(accept), timeoutMs, 'matching record'),
    stop: async () => {
      await messages.close();
    },
  };
}
