import { MalformedVerifierStateError } from './failures.ts';

/** Format id of a saved verifier state. */
export const VERIFIER_STATE_FORMAT = 'gatehouse.ledger.verifier-state.v1';

/**
 * What an auditor keeps between live verifications: the pinned key and the last checkpoint that
 * verified, so the next run can demand a consistency proof from it (the log may only grow).
 */
export interface VerifierState {
  readonly format: typeof VERIFIER_STATE_FORMAT;
  /** Log origin the checkpoint names. */
  readonly origin: string;
  /** The pinned note verifier key. */
  readonly verifierKey: string;
  /** Size of the last verified checkpoint. */
  readonly size: number;
  /** Its root, hex. */
  readonly root: string;
  /** Its signed note text. */
  readonly checkpoint: string;
  /** When it was verified, RFC 3339. */
  readonly verifiedAt: string;
}

/**
 * Parses a saved state (JSON).
 * @throws MalformedVerifierStateError when the text is not a state this version wrote.
 */
export function parseVerifierState(text: string): VerifierState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new MalformedVerifierStateError('the verifier state is not JSON', { cause });
  }
  const state = value as Partial<Record<keyof VerifierState, unknown>> | null;
  if (
    typeof state !== 'object' ||
    state === null ||
    state.format !== VERIFIER_STATE_FORMAT ||
    typeof state.origin !== 'string' ||
    typeof state.verifierKey !== 'string' ||
    !Number.isSafeInteger(state.size) ||
    (state.size as number) < 0 ||
    typeof state.root !== 'string' ||
    !/^[0-9a-f]{64}$/.test(state.root) ||
    typeof state.checkpoint !== 'string' ||
    typeof state.verifiedAt !== 'string'
  ) {
    throw new MalformedVerifierStateError(`the verifier state is not a ${VERIFIER_STATE_FORMAT} document`);
  }
  return state as VerifierState;
}

/** Serialises a state for saving (pretty JSON, trailing newline). */
export function formatVerifierState(state: VerifierState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}
