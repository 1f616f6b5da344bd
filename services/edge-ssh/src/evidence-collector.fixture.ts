import { MessageType, decodeMessage, type EvidenceRecord } from '@gatehouse/contracts';
import { jetstream, streamNameFor, type NatsConnection } from '@gatehouse/nats';

/** Every evidence record a test run published, read back from the real EVIDENCE stream. */
export interface EvidenceCollector {
  readonly records: EvidenceRecord[];
  /** Resolves with the records of `sessionId` once `done` holds for them (rejects after `timeoutMs`). */
  session(
    sessionId: string,
    done: (records: EvidenceRecord[]) => boolean,
    timeoutMs?: number,
  ): Promise<EvidenceRecord[]>;
  /** Resolves with the first record matching `accept`. */
  find(accept: (record: EvidenceRecord) => boolean, timeoutMs?: number): Promise<EvidenceRecord>;
  stop(): Promise<void>;
}

/**
 * Reads the EVIDENCE stream of `prefix` with an ordered JetStream consumer, validating every
 * message against its contract (a schema-invalid record fails the test that waits for it).
 */
export async function collectEvidence(bus: NatsConnection, prefix: string): Promise<EvidenceCollector> {
  const consumer = await jetstream(bus).consumers.get(streamNameFor(prefix, 'EVIDENCE'));
  const messages = await consumer.consume();
  const records: EvidenceRecord[] = [];
  void (async () => {
    for await (const message of messages) {
      records.push(decodeMessage(MessageType.EvidenceRecord, message.data).body.record);
    }
  })();
  const poll = async <T>(look: () => T | undefined, timeoutMs: number, what: string): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
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
