import { randomUUID } from 'node:crypto';
import type { Actor, BodyOf, EvidenceRecord } from '@gatehouse/contracts';
import { SessionEvidence, recordHash } from '@gatehouse/evidence';
import type { ReviewOutcome, Vote } from '../decision/review-state.ts';

/** A review request as the edge sends it. */
export type ReviewRequest = BodyOf<'gatehouse.approval.v1.requested'>;

/** Longest request id: its evidence session id (`approval-<id>`) must fit the 128 characters the schema allows. */
export const maxRequestIdLength = 128 - 'approval-'.length;

const requestIdPattern = new RegExp(`^[A-Za-z0-9_-]{1,${maxRequestIdLength}}$`);

/** Whether a request id can name a subject token (`decided.<id>`) and an evidence session. */
export function isUsableRequestId(requestId: string): boolean {
  return requestIdPattern.test(requestId);
}

/** Each request has its own evidence chain, so replicas never share chain state. */
export function approvalSessionId(requestId: string): string {
  return `approval-${requestId}`;
}

/** What both records say about the request: identifiers and normalized text, never values. */
export interface ReviewSummary {
  requestId: string;
  heldSessionId: string;
  rule: string;
  policyVersion: string;
  fingerprint: string;
  normalized: string;
}

/** One vote as evidence names it. */
export interface VoteEvidence {
  approver: string;
  issuer: string;
  vote: Vote;
  comment: string | null;
  at: string;
}

/** The summary of a request message. */
export function summaryOf(request: ReviewRequest): ReviewSummary {
  return {
    requestId: request.requestId,
    heldSessionId: request.session.id,
    rule: request.rule,
    policyVersion: request.policyVersion,
    fingerprint: request.classification.fingerprint,
    normalized: request.classification.normalized,
  };
}

/** The first record of a request's chain (seq 0): who asked, for what, and who may approve. */
export function requestedRecord(request: ReviewRequest, time: Date): EvidenceRecord {
  const evidence = new SessionEvidence(approvalSessionId(request.requestId), request.target, request.actor);
  return evidence.next(
    'approval_requested',
    {
      ...summaryOf(request),
      riskClass: request.classification.riskClass,
      approverGroups: request.approval.groups,
      quorum: request.approval.quorum,
      holdTimeoutSeconds: request.approval.holdTimeoutSeconds,
      votes: [],
      outcome: 'pending',
    },
    time,
  );
}

/** What the final record attests. */
export interface DecidedFacts {
  summary: ReviewSummary;
  outcome: ReviewOutcome;
  votes: readonly VoteEvidence[];
  approvers: readonly string[];
  /** The approver whose vote decided; null when the request expired. */
  actor: Actor | null;
  time: Date;
}

/**
 * The final record (seq 1), chained to the stored requested record. SessionEvidence keeps its
 * chain in memory only, and the decision may be taken by another replica long after the
 * request arrived, so this continues the chain from the stored record the same way
 * SessionEvidence.next would: next seq, prev = SHA-256 of the previous canonical record.
 */
export function decidedRecord(requested: EvidenceRecord, facts: DecidedFacts): EvidenceRecord {
  return {
    id: randomUUID(),
    kind: 'approval_decided',
    time: facts.time.toISOString(),
    session: { id: requested.session.id, seq: requested.session.seq + 1, prev: recordHash(requested) },
    actor: facts.actor,
    target: requested.target,
    details: {
      ...facts.summary,
      votes: facts.votes,
      outcome: facts.outcome,
      approvers: facts.approvers,
    },
  };
}
