import type { Classification, EvidenceRecord } from '@gatehouse/contracts';
import type { ReviewOutcome, ReviewStatus, Vote } from '../decision/review-state.ts';

/**
 * One review request as the edge asked for it, its state, and the evidence records that attest
 * it. The records are stored when built so that a re-publish sends the very same bytes (same id,
 * same chain link) and JetStream and the ledger dedupe it.
 */
export interface ApprovalRequestTable {
  request_id: string;
  /** The edge session holding the operation. */
  session_id: string;
  requester_sub: string;
  requester_groups: string[];
  requester_issuer: string;
  requester_token_id: string;
  target_name: string;
  target_kind: 'postgres' | 'ssh';
  classification: Classification;
  /** Groups whose members may vote. */
  groups: string[];
  quorum: number;
  hold_timeout_seconds: number;
  rule: string;
  policy_version: string;
  status: ReviewStatus;
  created_at: Date;
  expires_at: Date;
  decided_at: Date | null;
  /** Subjects named in the decided message (see `decidingSubjects`). */
  decided_approvers: string[] | null;
  /** W3C traceparent the request arrived with. */
  traceparent: string | null;
  requested_evidence: EvidenceRecord;
  requested_published_at: Date | null;
  decided_evidence: EvidenceRecord | null;
  /** When the decided message and its evidence were acknowledged by JetStream. */
  published_at: Date | null;
}

/** One approver's vote on one request (one per approver). */
export interface ApprovalVoteTable {
  request_id: string;
  approver_sub: string;
  approver_issuer: string;
  vote: Vote;
  comment: string | null;
  at: Date;
}

/** The approval service's tables. */
export interface ApprovalDatabase {
  approval_requests: ApprovalRequestTable;
  approval_votes: ApprovalVoteTable;
}

/** A stored request row. */
export type ApprovalRequestRow = ApprovalRequestTable;

/** A stored vote row. */
export type ApprovalVoteRow = ApprovalVoteTable;

/** A decided request row. */
export type DecidedRequestRow = ApprovalRequestRow & { status: ReviewOutcome };
