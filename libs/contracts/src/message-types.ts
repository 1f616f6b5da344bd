import type { BusMessage } from './generated/message-validators.ts';

/** Every versioned message type id; the generated validators are keyed by the same ids. */
export const MessageType = {
  AuthzDecideRequest: 'gatehouse.authz.v1.decide_request',
  AuthzDecideReply: 'gatehouse.authz.v1.decide_reply',
  PolicyChanged: 'gatehouse.authz.v1.policy_changed',
  MaskRequest: 'gatehouse.masking.v1.mask_request',
  MaskReply: 'gatehouse.masking.v1.mask_reply',
  EvidenceBatch: 'gatehouse.evidence.v1.batch',
  LedgerAppend: 'gatehouse.ledger.v1.append',
  ApprovalRequested: 'gatehouse.approval.v1.requested',
  ApprovalDecided: 'gatehouse.approval.v1.decided',
  EdgeCancelRequest: 'gatehouse.edge-postgres.v1.cancel_request',
} as const;

/** A message type id. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** The message whose `type` is T. */
export type MessageOf<T extends MessageType> = Extract<BusMessage, { type: T }>;

/** The body of the message whose `type` is T. */
export type BodyOf<T extends MessageType> = MessageOf<T>['body'];
