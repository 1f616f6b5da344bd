import { randomUUID } from 'node:crypto';
import type { Actor, EvidenceKind, EvidenceRecord, Target } from '@gatehouse/contracts';
import { recordHash } from './canonical-json.ts';

/**
 * Builds one session's evidence records in order, chaining each to the hash of the previous one
 * (DESIGN.md section 6), so a removed or reordered record breaks the session chain.
 */
export class SessionEvidence {
  private seq = 0;
  private prev: string | null = null;

  constructor(
    /** Session id shared by every record. */
    readonly sessionId: string,
    private readonly target: Target,
    private actor: Actor | null = null,
  ) {}

  /** Sets the verified identity once authentication succeeds. */
  identify(actor: Actor): void {
    this.actor = actor;
  }

  /** Records built so far. */
  get count(): number {
    return this.seq;
  }

  /** Hash of the last record built (the chain head), or null before the first. */
  get head(): string | null {
    return this.prev;
  }

  /** Builds the next record of this session. Details must never hold unmasked personal data. */
  next(kind: EvidenceKind, details: Record<string, unknown>, time = new Date()): EvidenceRecord {
    const record: EvidenceRecord = {
      id: randomUUID(),
      kind,
      time: time.toISOString(),
      session: { id: this.sessionId, seq: this.seq, prev: this.prev },
      actor: this.actor,
      target: this.target,
      details,
    };
    this.seq += 1;
    this.prev = recordHash(record);
    return record;
  }
}
