import { describe, expect, it } from 'vitest';
import { canSee, decidingSubjects, outcomeOf, voteRefusal, type ReviewFacts } from './review-rules.ts';

const issuer = 'http://127.0.0.1:8090';
const now = new Date('2025-01-01T00:00:00Z');
const facts: ReviewFacts = {
  requesterSub: 'ci-bot',
  requesterIssuer: issuer,
  groups: ['approvers', 'leads'],
  quorum: 2,
  status: 'pending',
  expiresAt: new Date('2025-01-01T00:10:00Z'),
};
const alice = { subject: 'alice', issuer, groups: ['approvers'] };

describe('review rules', () => {
  it('review rules - an approver of a pending request may vote', () => {
    expect(voteRefusal(facts, [], alice, now)).toBeUndefined();
    expect(voteRefusal(facts, [], { ...alice, groups: ['devs', 'leads'] }, now)).toBeUndefined();
  });

  it('review rules - the requester never decides, even as a member of an approver group', () => {
    const requester = { subject: 'ci-bot', issuer, groups: ['approvers'] };
    expect(voteRefusal(facts, [], requester, now)).toBe('own_request');
  });

  it('review rules - the same subject from another issuer is not the requester', () => {
    expect(
      voteRefusal(facts, [], { subject: 'ci-bot', issuer: 'https://other', groups: ['approvers'] }, now),
    ).toBe(undefined);
  });

  it('review rules - refuses non-approvers, decided and expired requests, and a second vote', () => {
    expect(voteRefusal(facts, [], { ...alice, groups: ['pipelines'] }, now)).toBe('not_approver');
    expect(voteRefusal({ ...facts, status: 'rejected' }, [], alice, now)).toBe('not_pending');
    expect(voteRefusal(facts, [], alice, facts.expiresAt)).toBe('expired');
    expect(voteRefusal(facts, [{ approverSub: 'alice', vote: 'approve' }], alice, now)).toBe('already_voted');
  });

  it('review rules - one reject decides; approvals decide at quorum', () => {
    expect(outcomeOf([{ approverSub: 'a', vote: 'approve' }], 2)).toBeUndefined();
    expect(
      outcomeOf(
        [
          { approverSub: 'a', vote: 'approve' },
          { approverSub: 'b', vote: 'approve' },
        ],
        2,
      ),
    ).toBe('approved');
    expect(outcomeOf([{ approverSub: 'a', vote: 'reject' }], 2)).toBe('rejected');
  });

  it('review rules - the decided message names the approvers, or the rejecter', () => {
    const votes = [
      { approverSub: 'a', vote: 'approve' as const },
      { approverSub: 'b', vote: 'reject' as const },
    ];
    expect(decidingSubjects('rejected', votes)).toEqual(['b']);
    expect(decidingSubjects('expired', votes)).toEqual(['a']);
    expect(decidingSubjects('approved', [{ approverSub: 'a', vote: 'approve' }])).toEqual(['a']);
  });

  it('review rules - approvers, the requester and the oversight group see a request; others do not', () => {
    expect(canSee(facts, alice, 'auditors')).toBe(true);
    expect(canSee(facts, { subject: 'ci-bot', issuer, groups: [] }, 'auditors')).toBe(true);
    expect(canSee(facts, { subject: 'carol', issuer, groups: ['auditors'] }, 'auditors')).toBe(true);
    expect(canSee(facts, { subject: 'mallory', issuer, groups: ['pipelines'] }, 'auditors')).toBe(false);
  });
});
