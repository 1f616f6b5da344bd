import { env } from '@gatehouse/config';

/** Config fields of every edge's gate: spread into the edge's spec next to `commonFields`. */
export const edgeGateFields = {
  decideTimeout: env.duration('EDGE_DECIDE_TIMEOUT', {
    default: 2000,
    description: 'Deadline for an authz decision',
  }),
  evidenceTimeout: env.duration('EDGE_EVIDENCE_TIMEOUT', {
    default: 5000,
    description: 'Deadline for a JetStream evidence ack',
  }),
};
