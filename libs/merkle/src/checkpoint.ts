import { MalformedCheckpointError } from './failures.ts';
import { isHash, type Hash } from './hash.ts';
import type { NoteSigner, NoteVerifier } from './note-keys.ts';
import { isValidNoteText } from './note-text.ts';
import { openNote, signNote } from './signed-note.ts';
import { decodeBase64Strict, encodeBase64 } from './strict-base64.ts';
import { isTreeSize } from './tree-size.ts';

// Checkpoint note text of c2sp.org/tlog-checkpoint: origin, tree size, base64 root hash, then
// optional extension lines, each ending in a newline.
// https://c2sp.org/tlog-checkpoint

/** A transparency log checkpoint: the log's signed statement of its tree head. */
export interface Checkpoint {
  /** Unique identifier of the log, e.g. `gatehouse.example/ledger`. Non-empty, one line. */
  readonly origin: string;
  /** Number of leaves in the tree. */
  readonly size: number;
  /** RFC 9162 Merkle root of the tree at `size` (32 bytes). */
  readonly root: Hash;
  /** Opaque non-empty extension lines (NOT RECOMMENDED by the spec); absent when there are none. */
  readonly extensions?: readonly string[];
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

function isValidLine(line: string): boolean {
  return line.length > 0 && !line.includes('\n') && isValidNoteText(line);
}

/**
 * Formats the checkpoint note text: `<origin>\n<size>\n<base64 root>\n` plus one line per
 * extension. Sign it with `signNote` (or use {@link signCheckpoint}).
 * @throws MalformedCheckpointError when the origin or an extension is empty, spans lines or
 *   has control characters, the size is not a safe non-negative integer, or the root is not
 *   32 bytes.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, root, extensions = [] } = checkpoint;
  if (!isValidLine(origin))
    throw new MalformedCheckpointError('checkpoint origin must be one non-empty line of note text');
  if (!isTreeSize(size))
    throw new MalformedCheckpointError('checkpoint size must be a safe non-negative integer');
  if (!isHash(root)) throw new MalformedCheckpointError('checkpoint root must be a 32-byte hash');
  for (const extension of extensions) {
    if (!isValidLine(extension)) {
      throw new MalformedCheckpointError(
        'checkpoint extension lines must be non-empty single lines of note text',
      );
    }
  }
  return [origin, String(size), encodeBase64(root), ...extensions].join('\n') + '\n';
}

/**
 * Parses checkpoint note text (the note text of a signed note, *not* the whole note; verify
 * the note first, see {@link openCheckpoint}).
 * @throws MalformedCheckpointError when there are fewer than three lines, a line is empty, the
 *   text does not end with a newline, the size is not canonical decimal (no leading zeros) or
 *   exceeds 2^53 - 1, or the root is not canonical base64 of 32 bytes.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n') || !isValidNoteText(text)) {
    throw new MalformedCheckpointError('checkpoint text must be note text ending with a newline');
  }
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === undefined || sizeText === undefined || rootText === undefined) {
    throw new MalformedCheckpointError('checkpoint has fewer than three lines');
  }
  if (lines.some((line) => line.length === 0))
    throw new MalformedCheckpointError('checkpoint has an empty line');
  const size = DECIMAL.test(sizeText) ? Number(sizeText) : Number.NaN;
  if (!isTreeSize(size)) {
    throw new MalformedCheckpointError(
      'checkpoint size is not a decimal integer below 2^53 without leading zeros',
    );
  }
  const root = decodeBase64Strict(rootText);
  if (root === undefined || !isHash(root)) {
    throw new MalformedCheckpointError('checkpoint root hash is not base64 of 32 bytes');
  }
  return extensions.length > 0 ? { origin, size, root, extensions } : { origin, size, root };
}

/**
 * Formats and signs a checkpoint, returning the signed note.
 * @throws MalformedCheckpointError for an invalid checkpoint (see {@link formatCheckpoint}).
 */
export function signCheckpoint(
  checkpoint: Checkpoint,
  signers: NoteSigner | string | readonly (NoteSigner | string)[],
): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

/**
 * Verifies a signed checkpoint note with the log's key (see `verifyNote`) and parses its text. When
 * `expectedOrigin` is given, the origin line must equal it, as clients must check that the
 * checkpoint is from the log they expect.
 *
 * Returns `null` — never throws — for any malformed, unsigned, wrongly signed or foreign
 * checkpoint, since the note is untrusted input.
 * @throws InvalidNoteKeyError when `verifier` is a malformed verifier key string.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  verifier: NoteVerifier | string,
  expectedOrigin?: string,
): Checkpoint | null {
  const text = openNote(note, verifier);
  if (text === null) return null;
  try {
    const checkpoint = parseCheckpoint(text);
    if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) return null;
    return checkpoint;
  } catch (error) {
    if (error instanceof MalformedCheckpointError) return null;
    throw error;
  }
}
