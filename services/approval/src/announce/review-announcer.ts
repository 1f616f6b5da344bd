import { Inject, Injectable } from '@nestjs/common';
import { MessageType, envelope, subjectsFor, type EvidenceRecord, type Subjects } from '@gatehouse/contracts';
import { childTraceparent, jetstream, publishDurable, type JetStreamClient } from '@gatehouse/nats';
import { APPROVAL_RUNTIME, type ApprovalRuntime } from '../approval-runtime.ts';
import { ReviewStatus } from '../decision/review-state.ts';
import { ApprovalStore } from '../storage/approval-store.ts';
import type { ApprovalRequestRow } from '../storage/approval-tables.ts';

/** The message id of a request's decided message: one per request, so JetStream dedupes re-publishes. */
export function decidedMessageId(requestId: string): string {
  return `decided-${requestId}`;
}

/**
 * Publishes what a stored request still owes the bus: its requested evidence, then (once final)
 * its decided evidence and the decided message, and notes each acknowledgement in the row.
 * Evidence goes first so nothing acts on a decision whose evidence is not stored (invariant 1).
 * Every message has a stable id, so publishing a row twice (a retry, two replicas) stores it once.
 */
@Injectable()
export class ReviewAnnouncer {
  readonly #subjects: Subjects;
  readonly #jetStream: JetStreamClient;

  constructor(
    @Inject(APPROVAL_RUNTIME) private readonly runtime: ApprovalRuntime,
    @Inject(ApprovalStore) private readonly store: ApprovalStore,
  ) {
    this.#subjects = subjectsFor(runtime.config.subjectPrefix);
    this.#jetStream = jetstream(runtime.bus);
  }

  /** Publishes what the row owes; throws DependencyUnavailableError when JetStream does not acknowledge. */
  async announce(row: ApprovalRequestRow): Promise<void> {
    const traceparent = childTraceparent(row.traceparent ?? undefined);
    if (row.requested_published_at === null) {
      await this.publishEvidence(row.requested_evidence, traceparent);
      await this.store.markRequestedPublished(row.request_id, new Date());
    }
    if (row.status === ReviewStatus.Pending || row.published_at !== null || row.decided_evidence === null)
      return;
    await this.publishEvidence(row.decided_evidence, traceparent);
    await publishDurable(
      this.#jetStream,
      this.#subjects.approvalDecided(row.request_id),
      envelope(
        MessageType.ApprovalDecided,
        { requestId: row.request_id, outcome: row.status, approvers: row.decided_approvers ?? [] },
        { id: decidedMessageId(row.request_id), traceparent, time: row.decided_at ?? new Date() },
      ),
    );
    await this.store.markDecisionPublished(row.request_id, new Date());
    this.runtime.metrics.requests.inc({ operation: 'decided', outcome: row.status });
  }

  /**
   * Publishes what the row owes, or leaves it to the re-publish sweep when the bus does not
   * answer: the state is already committed, so nothing acknowledged to a caller is lost.
   */
  async tryAnnounce(row: ApprovalRequestRow): Promise<boolean> {
    try {
      await this.announce(row);
      return true;
    } catch (error) {
      this.runtime.metrics.requests.inc({ operation: 'announce', outcome: 'retry' });
      this.runtime.logger.warn(
        { err: error, requestId: row.request_id },
        'announcement not acknowledged; the sweep will re-publish it',
      );
      return false;
    }
  }

  private async publishEvidence(record: EvidenceRecord, traceparent: string): Promise<void> {
    await publishDurable(
      this.#jetStream,
      this.#subjects.evidence,
      envelope(MessageType.EvidenceBatch, { records: [record] }, { id: record.id, traceparent }),
    );
  }
}
