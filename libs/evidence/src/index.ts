export { canonicalBytes, recordHash } from './canonical-json.ts';
export { SessionEvidence } from './session-evidence.ts';
