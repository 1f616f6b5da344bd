export { canonicalBytes, canonicalJson, recordHash } from './canonical-json.ts';
export { SessionEvidence } from './session-evidence.ts';
