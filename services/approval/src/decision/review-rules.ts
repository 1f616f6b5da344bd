import type { VerifiedIdentity } from '@gatehouse/identity';
import { ReviewStatus, Vote, type ReviewOutcome } from './review-state.ts';

/** The parts of a request the rules look at. */
export interface ReviewFacts {
  requesterSub: string;
  requesterIssuer: string;
  groups: readonly string[];
  quorum: number;
  status: ReviewStatus;
  expiresAt: Date;
}

/** One vote already cast. */
export interface CastVote {
  approverSub: string;
  vote: Vote;
}

/** The caller of the approver API. */
export type Caller = Pick<VerifiedIdentity, 'subject' | 'issuer' | 'groups'>;

/** Why a vote is refused. */
export const VoteRefusal = {
  OwnRequest: 'own_request',
  NotApprover: 'not_approver',
  NotPending: 'not_pending',
  Expired: 'expired',
  AlreadyVoted: 'already_voted',
} as const;

/** A reason a vote is refused. */
export type VoteRefusal = (typeof VoteRefusal)[keyof typeof VoteRefusal];

/** Whether the caller is the requester: subject and issuer both match (a subject is unique per issuer). */
export function isRequester(
  facts: Pick<ReviewFacts, 'requesterSub' | 'requesterIssuer'>,
  caller: Caller,
): boolean {
  return facts.requesterSub === caller.subject && facts.requesterIssuer === caller.issuer;
}

/** Whether the caller belongs to one of the request's approver groups. */
export function isApprover(facts: Pick<ReviewFacts, 'groups'>, caller: Caller): boolean {
  return caller.groups.some((group) => facts.groups.includes(group));
}

/**
 * Whether the caller may read the request: its approvers, its requester, and members of the
 * oversight group.
 */
export function canSee(
  facts: Pick<ReviewFacts, 'groups' | 'requesterSub' | 'requesterIssuer'>,
  caller: Caller,
  oversightGroup: string,
): boolean {
  return isApprover(facts, caller) || isRequester(facts, caller) || caller.groups.includes(oversightGroup);
}

/**
 * Why the caller may not vote on the request now, or undefined when the vote counts. The own-request
 * check comes first: an approver who asked is refused for that reason, whatever else holds.
 */
export function voteRefusal(
  facts: ReviewFacts,
  votes: readonly CastVote[],
  caller: Caller,
  now: Date,
): VoteRefusal | undefined {
  if (isRequester(facts, caller)) return VoteRefusal.OwnRequest;
  if (!isApprover(facts, caller)) return VoteRefusal.NotApprover;
  if (facts.status !== ReviewStatus.Pending) return VoteRefusal.NotPending;
  if (now.getTime() >= facts.expiresAt.getTime()) return VoteRefusal.Expired;
  if (votes.some((vote) => vote.approverSub === caller.subject)) return VoteRefusal.AlreadyVoted;
  return undefined;
}

/** The outcome the votes reach: one reject decides at once, `quorum` approvals approve. */
export function outcomeOf(votes: readonly CastVote[], quorum: number): ReviewOutcome | undefined {
  if (votes.some((vote) => vote.vote === Vote.Reject)) return ReviewStatus.Rejected;
  const approvals = votes.filter((vote) => vote.vote === Vote.Approve).length;
  return approvals >= quorum ? ReviewStatus.Approved : undefined;
}

/**
 * Subjects the decided message names: who approved (approved, and the approvals gathered before
 * an expiry) or who rejected.
 */
export function decidingSubjects(outcome: ReviewOutcome, votes: readonly CastVote[]): string[] {
  const wanted = outcome === ReviewStatus.Rejected ? Vote.Reject : Vote.Approve;
  return votes.filter((vote) => vote.vote === wanted).map((vote) => vote.approverSub);
}
