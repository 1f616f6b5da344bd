import { GatehouseError } from '@gatehouse/errors';

/** Base of every failure this library throws, so a caller can catch them as one family. */
export abstract class MerkleError extends GatehouseError {}

/** A signed note (c2sp.org/signed-note) is not well-formed, or a note body cannot be signed. */
export class MalformedNoteError extends MerkleError {
  readonly code = 'malformed_note';
}

/** A checkpoint body (c2sp.org/tlog-checkpoint) is not well-formed, or cannot be formatted. */
export class MalformedCheckpointError extends MerkleError {
  readonly code = 'malformed_checkpoint';
}

/** A note signer or verifier key string is not well-formed or its key ID does not match. */
export class InvalidNoteKeyError extends MerkleError {
  readonly code = 'invalid_note_key';
}

/** The node store did not return a completed-subtree node that a proof or root needs. */
export class MissingTreeNodeError extends MerkleError {
  readonly code = 'missing_tree_node';
  constructor(
    message: string,
    /** Level of the missing node (0 = leaf). */
    readonly level: number,
    /** Index of the missing node within its level. */
    readonly index: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
