import type { Classification, Target } from '@gatehouse/contracts';
import type { ReviewStatus, Vote } from '../decision/review-state.ts';
import type { ApprovalRequestRow, ApprovalVoteRow } from '../storage/approval-tables.ts';

/** One vote as the API shows it. */
export interface VoteView {
  approver: string;
  issuer: string;
  vote: Vote;
  comment: string | null;
  at: string;
}

/** One review request as the API shows it (openapi.yaml, ReviewRequest). */
export interface RequestView {
  requestId: string;
  status: ReviewStatus;
  session: { id: string };
  requester: { sub: string; groups: string[]; issuer: string };
  target: Target;
  classification: Classification;
  approval: { groups: string[]; quorum: number; holdTimeoutSeconds: number };
  rule: string;
  policyVersion: string;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  /** Subjects the decision names (see the decided message); empty while pending. */
  approvers: string[];
  /** Present on single-request answers. */
  votes?: VoteView[];
}

/** The API view of a row, with its votes when given. */
export function requestView(row: ApprovalRequestRow, votes?: readonly ApprovalVoteRow[]): RequestView {
  const view: RequestView = {
    requestId: row.request_id,
    status: row.status,
    session: { id: row.session_id },
    requester: { sub: row.requester_sub, groups: row.requester_groups, issuer: row.requester_issuer },
    target: { name: row.target_name, kind: row.target_kind },
    classification: row.classification,
    approval: { groups: row.groups, quorum: row.quorum, holdTimeoutSeconds: row.hold_timeout_seconds },
    rule: row.rule,
    policyVersion: row.policy_version,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    approvers: row.decided_approvers ?? [],
  };
  if (votes) {
    view.votes = votes.map((vote) => ({
      approver: vote.approver_sub,
      issuer: vote.approver_issuer,
      vote: vote.vote,
      comment: vote.comment,
      at: vote.at.toISOString(),
    }));
  }
  return view;
}
