import { sql, type Kysely, type Migration } from '@gatehouse/db';

/**
 * Approval tables. A request row carries its own outbox: the evidence records and the
 * `*_published_at` columns tell which announcements JetStream has not acknowledged yet.
 */
export const approvalMigrations: Record<string, Migration> = {
  '001_review_requests': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table approval_requests (
          request_id text primary key,
          session_id text not null,
          requester_sub text not null,
          requester_groups text[] not null,
          requester_issuer text not null,
          requester_token_id text not null,
          target_name text not null,
          target_kind text not null check (target_kind in ('postgres', 'ssh')),
          classification jsonb not null,
          groups text[] not null check (cardinality(groups) > 0),
          quorum integer not null check (quorum >= 1),
          hold_timeout_seconds integer not null check (hold_timeout_seconds >= 1),
          rule text not null,
          policy_version text not null,
          status text not null default 'pending'
            check (status in ('pending', 'approved', 'rejected', 'expired')),
          created_at timestamptz not null,
          expires_at timestamptz not null,
          decided_at timestamptz,
          decided_approvers text[],
          traceparent text,
          requested_evidence jsonb not null,
          requested_published_at timestamptz,
          decided_evidence jsonb,
          published_at timestamptz,
          check ((status = 'pending') = (decided_at is null)),
          check ((status = 'pending') = (decided_evidence is null))
        )`.execute(db);
      await sql`create index approval_requests_status on approval_requests (status, created_at desc)`.execute(
        db,
      );
      await sql`create index approval_requests_due on approval_requests (expires_at) where status = 'pending'`.execute(
        db,
      );
      await sql`
        create index approval_requests_unannounced on approval_requests (created_at)
          where requested_published_at is null or (status <> 'pending' and published_at is null)`.execute(db);
      await sql`
        create table approval_votes (
          request_id text not null references approval_requests (request_id),
          approver_sub text not null,
          approver_issuer text not null,
          vote text not null check (vote in ('approve', 'reject')),
          comment text check (char_length(comment) <= 1000),
          at timestamptz not null,
          primary key (request_id, approver_sub)
        )`.execute(db);
    },
  },
};
