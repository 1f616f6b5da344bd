import { MessageType, envelope, validateMessage } from '@gatehouse/contracts';
import { recordHash } from '@gatehouse/evidence';
import { describe, expect, it } from 'vitest';
import {
  approvalSessionId,
  decidedRecord,
  isUsableRequestId,
  requestedRecord,
  summaryOf,
  type ReviewRequest,
} from './approval-evidence.ts';

const request: ReviewRequest = {
  requestId: '0b7e6f2a-5d0c-4a8e-9a55-2f7d0a1c9e11',
  session: { id: 'edge-session-1' },
  actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: 'http://127.0.0.1:8090', tokenId: 'jti-1' },
  target: { name: 'demo', kind: 'postgres' },
  classification: {
    riskClass: 'write',
    kinds: ['update'],
    riskFlags: [],
    relationsRead: ['public.customers'],
    relationsWritten: ['public.customers'],
    fingerprint: 'fp-1',
    normalized: 'UPDATE customers SET email = $1 WHERE id = $2',
    statementCount: 1,
  },
  approval: { groups: ['approvers'], quorum: 1, holdTimeoutSeconds: 600 },
  rule: 'writes-need-approval',
  policyVersion: 'v-1',
};

describe('approval evidence', () => {
  it('approval evidence - the requested record opens the request chain as the requester', () => {
    const record = requestedRecord(request, new Date('2025-01-01T00:00:00Z'));
    expect(record.kind).toBe('approval_requested');
    expect(record.session).toEqual({ id: `approval-${request.requestId}`, seq: 0, prev: null });
    expect(record.actor).toEqual(request.actor);
    expect(record.details).toEqual({
      ...summaryOf(request),
      riskClass: 'write',
      approverGroups: ['approvers'],
      quorum: 1,
      holdTimeoutSeconds: 600,
      votes: [],
      outcome: 'pending',
    });
    expect(() =>
      validateMessage(MessageType.EvidenceBatch, envelope(MessageType.EvidenceBatch, { records: [record] })),
    ).not.toThrow();
  });

  it('approval evidence - the decided record links to the requested one and may have no actor (expiry)', () => {
    const requested = requestedRecord(request, new Date('2025-01-01T00:00:00Z'));
    const decided = decidedRecord(requested, {
      summary: summaryOf(request),
      outcome: 'expired',
      votes: [],
      approvers: [],
      actor: null,
      time: new Date('2025-01-01T00:10:00Z'),
    });
    expect(decided.session).toEqual({ id: requested.session.id, seq: 1, prev: recordHash(requested) });
    expect(decided.actor).toBeNull();
    expect(decided.target).toEqual(request.target);
    expect(decided.details).toMatchObject({ outcome: 'expired', votes: [], approvers: [] });
    expect(() =>
      validateMessage(MessageType.EvidenceBatch, envelope(MessageType.EvidenceBatch, { records: [decided] })),
    ).not.toThrow();
  });

  it('approval evidence - request ids must be subject tokens short enough for a session id', () => {
    expect(isUsableRequestId(request.requestId)).toBe(true);
    expect(isUsableRequestId('a.b')).toBe(false);
    expect(isUsableRequestId('>')).toBe(false);
    expect(isUsableRequestId('')).toBe(false);
    expect(isUsableRequestId('x'.repeat(119))).toBe(true);
    expect(isUsableRequestId('x'.repeat(120))).toBe(false);
    expect(approvalSessionId('x'.repeat(119))).toHaveLength(128);
  });
});
