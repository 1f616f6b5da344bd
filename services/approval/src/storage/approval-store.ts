import { Inject, Injectable } from '@nestjs/common';
import type { Actor, MessageOf } from '@gatehouse/contracts';
import { sql, type Kysely } from '@gatehouse/db';
import type { VerifiedIdentity } from '@gatehouse/identity';
import { APPROVAL_RUNTIME, type ApprovalRuntime } from '../approval-runtime.ts';
import {
  decidingSubjects,
  outcomeOf,
  voteRefusal,
  type Caller,
  type CastVote,
  type ReviewFacts,
  type VoteRefusal,
} from '../decision/review-rules.ts';
import { ReviewStatus, type ReviewOutcome, type Vote } from '../decision/review-state.ts';
import { decidedRecord, requestedRecord, type VoteEvidence } from '../evidence/approval-evidence.ts';
import type {
  ApprovalDatabase,
  ApprovalRequestRow,
  ApprovalVoteRow,
  DecidedRequestRow,
} from './approval-tables.ts';

/** What a vote did. */
export type VoteResult =
  | { kind: 'not_found' }
  | { kind: 'refused'; refusal: VoteRefusal; request: ApprovalRequestRow }
  | { kind: 'counted'; request: ApprovalRequestRow; votes: ApprovalVoteRow[] };

type Transaction = Kysely<ApprovalDatabase>;

/** The facts the review rules need from a row. */
export function factsOf(row: ApprovalRequestRow): ReviewFacts {
  return {
    requesterSub: row.requester_sub,
    requesterIssuer: row.requester_issuer,
    groups: row.groups,
    quorum: row.quorum,
    status: row.status,
    expiresAt: row.expires_at,
  };
}

function castVotes(votes: readonly ApprovalVoteRow[]): CastVote[] {
  return votes.map((vote) => ({ approverSub: vote.approver_sub, vote: vote.vote }));
}

function voteEvidence(votes: readonly ApprovalVoteRow[]): VoteEvidence[] {
  return votes.map((vote) => ({
    approver: vote.approver_sub,
    issuer: vote.approver_issuer,
    vote: vote.vote,
    comment: vote.comment,
    at: vote.at.toISOString(),
  }));
}

function summaryOfRow(row: ApprovalRequestRow) {
  return {
    requestId: row.request_id,
    heldSessionId: row.session_id,
    rule: row.rule,
    policyVersion: row.policy_version,
    fingerprint: row.classification.fingerprint,
    normalized: row.classification.normalized,
  };
}

/** Review requests and votes in PostgreSQL; every state change and its evidence commit together. */
@Injectable()
export class ApprovalStore {
  constructor(@Inject(APPROVAL_RUNTIME) private readonly runtime: ApprovalRuntime) {}

  private get db(): Kysely<ApprovalDatabase> {
    return this.runtime.db;
  }

  /**
   * Stores a request once: a redelivered or re-sent request with a known id changes nothing and
   * returns undefined. The request's clock starts when the edge asked (never in the future), so a
   * request delivered late expires when the edge stops holding it.
   */
  async insertRequest(
    message: MessageOf<'gatehouse.approval.v1.requested'>,
    now: Date,
  ): Promise<ApprovalRequestRow | undefined> {
    const request = message.body;
    const createdAt = new Date(Math.min(Date.parse(message.time), now.getTime()));
    const expiresAt = new Date(createdAt.getTime() + request.approval.holdTimeoutSeconds * 1000);
    return this.db
      .insertInto('approval_requests')
      .values({
        request_id: request.requestId,
        session_id: request.session.id,
        requester_sub: request.actor.sub,
        requester_groups: request.actor.groups,
        requester_issuer: request.actor.issuer,
        requester_token_id: request.actor.tokenId,
        target_name: request.target.name,
        target_kind: request.target.kind,
        classification: request.classification,
        groups: request.approval.groups,
        quorum: request.approval.quorum,
        hold_timeout_seconds: request.approval.holdTimeoutSeconds,
        rule: request.rule,
        policy_version: request.policyVersion,
        status: ReviewStatus.Pending,
        created_at: createdAt,
        expires_at: expiresAt,
        decided_at: null,
        decided_approvers: null,
        traceparent: message.traceparent ?? null,
        requested_evidence: requestedRecord(request, createdAt),
        requested_published_at: null,
        decided_evidence: null,
        published_at: null,
      })
      .onConflict((conflict) => conflict.column('request_id').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /** Requests in one status the caller may see, newest first. */
  async list(caller: Caller, status: ReviewStatus, limit: number): Promise<ApprovalRequestRow[]> {
    let query = this.db.selectFrom('approval_requests').selectAll().where('status', '=', status);
    if (!caller.groups.includes(this.runtime.config.approverGroup)) {
      query = query.where((eb) =>
        eb.or([
          sql<boolean>`groups && ${caller.groups}::text[]`,
          eb.and([eb('requester_sub', '=', caller.subject), eb('requester_issuer', '=', caller.issuer)]),
        ]),
      );
    }
    return query.orderBy('created_at', 'desc').orderBy('request_id').limit(limit).execute();
  }

  /** One request and its votes in the order they were cast. */
  async find(
    requestId: string,
  ): Promise<{ request: ApprovalRequestRow; votes: ApprovalVoteRow[] } | undefined> {
    const request = await this.db
      .selectFrom('approval_requests')
      .selectAll()
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (!request) return undefined;
    return { request, votes: await this.votesOf(this.db, requestId) };
  }

  /**
   * Counts one vote. The request row is locked, so concurrent votes are counted one after the
   * other; the vote, the new status and the decided evidence record commit together.
   */
  async vote(
    requestId: string,
    caller: VerifiedIdentity,
    vote: Vote,
    comment: string | null,
    now: Date,
  ): Promise<VoteResult> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('approval_requests')
        .selectAll()
        .where('request_id', '=', requestId)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return { kind: 'not_found' } as const;
      const votes = await this.votesOf(trx, requestId);
      const refusal = voteRefusal(factsOf(row), castVotes(votes), caller, now);
      if (refusal) return { kind: 'refused', refusal, request: row } as const;
      const cast = await trx
        .insertInto('approval_votes')
        .values({
          request_id: requestId,
          approver_sub: caller.subject,
          approver_issuer: caller.issuer,
          vote,
          comment,
          at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const allVotes = [...votes, cast];
      const outcome = outcomeOf(castVotes(allVotes), row.quorum);
      if (!outcome) return { kind: 'counted', request: row, votes: allVotes } as const;
      const actor: Actor = {
        sub: caller.subject,
        groups: caller.groups,
        issuer: caller.issuer,
        tokenId: caller.tokenId,
      };
      const decided = await this.decide(trx, row, allVotes, outcome, actor, now);
      return { kind: 'counted', request: decided, votes: allVotes } as const;
    });
  }

  /**
   * Expires pending requests whose hold timeout passed. Rows another replica is expiring are
   * skipped, so each request expires once.
   */
  async expireDue(now: Date, limit: number): Promise<DecidedRequestRow[]> {
    return this.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('approval_requests')
        .selectAll()
        .where('status', '=', ReviewStatus.Pending)
        .where('expires_at', '<=', now)
        .orderBy('expires_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      const expired: DecidedRequestRow[] = [];
      for (const row of due) {
        const votes = await this.votesOf(trx, row.request_id);
        expired.push(await this.decide(trx, row, votes, ReviewStatus.Expired, null, now));
      }
      return expired;
    });
  }

  /** Requests whose requested evidence, or whose decision, JetStream has not acknowledged. */
  async unannounced(limit: number): Promise<ApprovalRequestRow[]> {
    return this.db
      .selectFrom('approval_requests')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('requested_published_at', 'is', null),
          eb.and([eb('status', '<>', ReviewStatus.Pending), eb('published_at', 'is', null)]),
        ]),
      )
      .orderBy('created_at')
      .limit(limit)
      .execute();
  }

  /** Notes that the requested evidence was acknowledged. */
  async markRequestedPublished(requestId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('approval_requests')
      .set({ requested_published_at: at })
      .where('request_id', '=', requestId)
      .where('requested_published_at', 'is', null)
      .execute();
  }

  /** Notes that the decided message and its evidence were acknowledged. */
  async markDecisionPublished(requestId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('approval_requests')
      .set({ published_at: at })
      .where('request_id', '=', requestId)
      .where('published_at', 'is', null)
      .execute();
  }

  private async votesOf(db: Transaction, requestId: string): Promise<ApprovalVoteRow[]> {
    return db
      .selectFrom('approval_votes')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('at')
      .orderBy('approver_sub')
      .execute();
  }

  private async decide(
    trx: Transaction,
    row: ApprovalRequestRow,
    votes: readonly ApprovalVoteRow[],
    outcome: ReviewOutcome,
    actor: Actor | null,
    now: Date,
  ): Promise<DecidedRequestRow> {
    const approvers = decidingSubjects(outcome, castVotes(votes));
    const evidence = decidedRecord(row.requested_evidence, {
      summary: summaryOfRow(row),
      outcome,
      votes: voteEvidence(votes),
      approvers,
      actor,
      time: now,
    });
    const updated = await trx
      .updateTable('approval_requests')
      .set({ status: outcome, decided_at: now, decided_approvers: approvers, decided_evidence: evidence })
      .where('request_id', '=', row.request_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return updated as DecidedRequestRow;
  }
}
