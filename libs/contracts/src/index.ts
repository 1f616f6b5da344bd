export type { Actor, Classification, Decision, EvidenceKind, EvidenceRecord, Target } from './aliases.ts';
export {
  CELL_NULL_LENGTH,
  CELL_UNCHANGED_LENGTH,
  decodeCellBatch,
  decodeCells,
  encodeCellBatch,
  UNCHANGED_CELL,
  type BatchCell,
} from './cell-batch.ts';
export { envelope, type EnvelopeOptions } from './envelope.ts';
export { ScratchBuffer } from './scratch-buffer.ts';
export { decodeFramedMessage, encodeFramedMessage, type FramedMessage } from './framed-message.ts';
export { decodeMessage, encodeMessage, validateMessage } from './message-codec.ts';
export { MessageType, type BodyOf, type MessageOf } from './message-types.ts';
export { assertSubjectToken, subjectsFor, type Subjects } from './subjects.ts';
export { streamDefinitions } from './generated/streams.ts';
export { policyCasesSchema, policySchema } from './generated/policy-schemas.ts';
export type * from './generated/types.ts';
