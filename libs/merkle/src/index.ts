// RFC 9162 Merkle tree hashing and proofs.
export { EMPTY_ROOT, HASH_SIZE, hashChildren, hashLeaf, isHash, type Hash } from './hash.ts';
export { rootOf } from './tree-root.ts';
export { inclusionProof, verifyInclusion } from './inclusion-proof.ts';
export { consistencyProof, verifyConsistency } from './consistency-proof.ts';

// Incremental tree and proofs from stored completed-subtree nodes.
export { CompactRange } from './compact-range.ts';
export { frontierCoordinates, type NodeCoordinate, type NodeLookup, type TreeNode } from './tree-node.ts';
export {
  assembleProof,
  consistencyProofFromNodes,
  consistencyProofPlan,
  inclusionProofFromNodes,
  inclusionProofPlan,
  rootFromNodes,
  rootPlan,
  type NodeReader,
  type ProofPlan,
} from './proof-plan.ts';

// Signed notes and checkpoints (c2sp.org/signed-note, c2sp.org/tlog-checkpoint), and JWS.
export {
  encodeSignerKey,
  encodeVerifierKey,
  generateNoteKeys,
  NOTE_ED25519,
  noteKeyId,
  parseSignerKey,
  parseVerifierKey,
  type NoteKeyPair,
  type NoteSigner,
  type NoteVerifier,
} from './note-keys.ts';
export {
  MAX_NOTE_SIGNATURES,
  openNote,
  parseNote,
  signNote,
  verifyNote,
  type NoteSignature,
  type SignedNote,
} from './signed-note.ts';
export {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
} from './checkpoint.ts';
export {
  CHECKPOINT_JWS_TYPE,
  checkpointJws,
  verifyCheckpointJws,
  type CheckpointJwsPayload,
  type JwsKey,
} from './checkpoint-jws.ts';

export {
  InvalidNoteKeyError,
  MalformedCheckpointError,
  MalformedNoteError,
  MerkleError,
  MissingTreeNodeError,
} from './failures.ts';
