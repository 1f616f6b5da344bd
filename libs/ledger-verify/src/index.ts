// Verification of the Gatehouse ledger, live through its auditor API or offline from an
// export bundle: leaf hashes, Merkle root, signed checkpoints, consistency with the last
// verified checkpoint, session hash chains; names the first bad index.
export {
  verifyLedger,
  type LedgerVerification,
  type VerifyLedgerOptions,
  type VerifyProgress,
} from './verify-ledger.ts';
export { verifyBundle, type VerifyBundleOptions } from './verify-bundle.ts';
export {
  buildReport,
  formatReport,
  type BundleRange,
  type VerificationReport,
} from './verification-report.ts';
export {
  firstBadIndex,
  isProblemKind,
  PROBLEM_KINDS,
  sortProblems,
  type Problem,
  type ProblemKind,
} from './problem.ts';

// Building blocks, also used by the ledger service.
export { LogReplay, type LogReplayOptions } from './log-replay.ts';
export { SessionChainChecker, type ChainCoverage, type ChainSummary } from './session-chains.ts';
export { chainHash, readChainFields, type ChainFields } from './chain-fields.ts';
export { inclusionProofLength, SequentialInclusionVerifier } from './sequential-inclusion.ts';
export { firstDivergence } from './divergence-search.ts';

// The auditor API's JSON shapes and a client for them.
export type {
  CheckpointView,
  ConsistencyProofView,
  EntriesPage,
  EntryView,
  EntryWithProofView,
  InclusionProofView,
  KeysView,
  PublicJwkView,
  SessionChainView,
  SessionView,
} from './ledger-api.ts';
export { LedgerClient, type FetchFunction, type LedgerClientOptions } from './ledger-client.ts';

// Export bundles and verifier state.
export {
  EXPORT_BUNDLE_FORMAT,
  EXPORT_BUNDLE_MEDIA_TYPE,
  formatBundleLine,
  type BundleEnd,
  type BundleEntry,
  type BundleFence,
  type BundleHeader,
  type BundleLine,
  type BundleReadme,
} from './export-bundle.ts';
export {
  formatVerifierState,
  parseVerifierState,
  VERIFIER_STATE_FORMAT,
  type VerifierState,
} from './verifier-state.ts';
export { LedgerApiError, MalformedVerifierStateError } from './failures.ts';
