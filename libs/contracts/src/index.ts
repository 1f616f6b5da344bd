export type { Actor, Classification, Decision, EvidenceKind, EvidenceRecord, Target } from './aliases.ts';
export { envelope, type EnvelopeOptions } from './envelope.ts';
export { decodeMessage, encodeMessage, validateMessage } from './message-codec.ts';
export { MessageType, type BodyOf, type MessageOf } from './message-types.ts';
export { assertSubjectToken, subjectsFor, type Subjects } from './subjects.ts';
export { streamDefinitions } from './generated/streams.ts';
export { policyCasesSchema, policySchema } from './generated/policy-schemas.ts';
export type * from './generated/types.ts';
