import type { BodyOf } from './message-types.ts';

/** The verified identity behind an action. */
export type Actor = BodyOf<'gatehouse.authz.v1.decide_request'>['actor'];
/** The system an action addresses. */
export type Target = BodyOf<'gatehouse.authz.v1.decide_request'>['target'];
/** A policy decision as authz returns it. */
export type Decision = BodyOf<'gatehouse.authz.v1.decide_reply'>;
/** What a classifier found in a statement or command. */
export type Classification = Decision['classification'];
/** One evidence record, hashed by the ledger as RFC 8785 canonical JSON. */
export type EvidenceRecord = BodyOf<'gatehouse.evidence.v1.batch'>['records'][number];
/** The kinds of evidence record. */
export type EvidenceKind = EvidenceRecord['kind'];
