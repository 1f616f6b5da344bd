import {
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
  type Checkpoint,
} from '@gatehouse/merkle';
import { firstDivergence } from './divergence-search.ts';
import { LedgerApiError } from './failures.ts';
import type { LedgerClient } from './ledger-client.ts';
import { LogReplay } from './log-replay.ts';
import type { Problem } from './problem.ts';
import { buildReport, type VerificationReport } from './verification-report.ts';
import { VERIFIER_STATE_FORMAT, type VerifierState } from './verifier-state.ts';

/** Progress of a long verification, for a progress bar. */
export interface VerifyProgress {
  /** Entries hashed so far. */
  readonly done: number;
  /** Entries to hash (the checkpoint's tree size). */
  readonly total: number;
}

/** Options of {@link verifyLedger}. */
export interface VerifyLedgerOptions {
  /** Client of the ledger's auditor API. */
  readonly client: LedgerClient;
  /** The pinned note verifier key of the ledger (never the one the ledger serves). */
  readonly verifierKey: string;
  /** Origin the checkpoint must name; any origin signed by the key when omitted. */
  readonly origin?: string;
  /** State saved by the last successful verification. */
  readonly saved?: VerifierState;
  /** Entries per request (at most 1000, the API's page limit). */
  readonly pageSize?: number;
  readonly onProgress?: (progress: VerifyProgress) => void;
}

/** A live verification's report and, when it passed, the state to save for the next run. */
export interface LedgerVerification {
  readonly report: VerificationReport;
  readonly state: VerifierState | null;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Buffer => Buffer.from(text, 'hex');

/**
 * Verifies a live ledger through its auditor API: fetches the latest checkpoint and checks its
 * signature against the pinned key; fetches every entry up to the checkpoint's size, recomputes
 * each leaf hash from the record bytes and the root from the leaves; checks every session chain;
 * and demands a consistency proof from the checkpoint saved by the last run. When the root does
 * not match, it locates the first changed entry by binary search over consistency proofs (each
 * checked against the signed root) and confirms it with an inclusion proof.
 */
export async function verifyLedger(options: VerifyLedgerOptions): Promise<LedgerVerification> {
  const { client } = options;
  const verifier = parseVerifierKey(options.verifierKey);
  const view = await client.checkpoint();
  const signed = openCheckpoint(view.note, verifier, options.origin);
  if (signed === null) {
    const problem: Problem = {
      kind: 'bad-signature',
      index: null,
      message: `the latest checkpoint is not signed by the pinned key ${verifier.name}${options.origin ? ` for origin ${options.origin}` : ''}`,
    };
    return {
      report: buildReport({ checkpoint: null, entries: 0, chains: null, problems: [problem] }),
      state: null,
    };
  }
  const problems: Problem[] = [];
  const replay = await replayEntries(client, signed.size, options);
  const finished = replay.finish();
  problems.push(...finished.problems);
  if (replay.nextIndex < signed.size) {
    problems.push({
      kind: 'missing-entry',
      index: replay.nextIndex,
      message: `entries ${replay.nextIndex} to ${signed.size - 1} are missing`,
    });
  }
  problems.push(...(await locateDivergence(client, replay, signed)));
  if (options.saved) problems.push(...(await checkSaved(client, options.saved, signed)));
  const report = buildReport({ checkpoint: signed, entries: replay.size, chains: finished.chains, problems });
  const state: VerifierState | null = report.ok
    ? {
        format: VERIFIER_STATE_FORMAT,
        origin: signed.origin,
        verifierKey: options.verifierKey,
        size: signed.size,
        root: hex(signed.root),
        checkpoint: view.note,
        verifiedAt: new Date().toISOString(),
      }
    : null;
  return { report, state };
}

async function replayEntries(
  client: LedgerClient,
  size: number,
  options: VerifyLedgerOptions,
): Promise<LogReplay> {
  const pageSize = Math.min(options.pageSize ?? 1000, 1000);
  const replay = new LogReplay({ chains: 'complete', keepLeaves: true });
  for (let start = 0; start < size; start += pageSize) {
    const end = Math.min(start + pageSize, size);
    const page = await client.entries(start, end);
    for (const entry of page.entries) {
      if (entry.index >= size) continue;
      replay.add(entry.index, Buffer.from(entry.canonical, 'base64'), unhex(entry.leafHash));
    }
    options.onProgress?.({ done: end, total: size });
  }
  return replay;
}

// A consistency proof from `prefix` to the signed size that verifies against the replayed prefix
// root proves the first `prefix` leaves are the signed ones.
async function locateDivergence(
  client: LedgerClient,
  replay: LogReplay,
  signed: Checkpoint,
): Promise<Problem[]> {
  const replayed = replay.size;
  if (replayed === signed.size && Buffer.compare(replay.root(), signed.root) === 0) return [];
  if (replayed === 0) return [];
  const limit = Math.min(replayed, signed.size);
  const matches = async (prefix: number): Promise<boolean> => {
    const consistency = await client.consistency(prefix, signed.size);
    return verifyConsistency(
      prefix,
      signed.size,
      consistency.proof.map(unhex),
      replay.prefixRoot(prefix),
      signed.root,
    );
  };
  try {
    if (await matches(limit)) {
      // The signed leaves are all there; the rest are extra entries beyond them.
      return [
        {
          kind: 'not-in-signed-log',
          index: limit,
          message: `entry ${limit} and later are not covered by the signed checkpoint of size ${signed.size}`,
        },
      ];
    }
    const position = await firstDivergence(limit, matches);
    const inclusion = await client.inclusion(position, signed.size);
    const signedLeaf = unhex(inclusion.leafHash);
    if (verifyInclusion(signedLeaf, position, signed.size, inclusion.proof.map(unhex), signed.root)) {
      return [
        {
          kind: 'not-in-signed-log',
          index: position,
          message: `entry ${position} was changed, removed, inserted or moved: the checkpoint signed leaf ${inclusion.leafHash}, the ledger now serves a record hashing to ${hex(replay.leafHash(position))}`,
        },
      ];
    }
    return [
      {
        kind: 'root-mismatch',
        index: null,
        message: `the entries do not hash to the signed root, and the ledger's own proofs do not verify against it either (its tree nodes were changed too); the first divergence is at or before entry ${position}`,
      },
    ];
  } catch (error) {
    if (!(error instanceof LedgerApiError)) throw error;
    return [
      {
        kind: 'root-mismatch',
        index: null,
        message: `the entries do not hash to the signed root; locating the change failed: ${error.message}`,
      },
    ];
  }
}

async function checkSaved(
  client: LedgerClient,
  saved: VerifierState,
  signed: Checkpoint,
): Promise<Problem[]> {
  const savedRoot = unhex(saved.root);
  const problem = (message: string): Problem[] => [{ kind: 'inconsistent-checkpoint', index: null, message }];
  if (saved.origin !== signed.origin) {
    return problem(`the saved checkpoint is for ${saved.origin}, the ledger signs ${signed.origin}`);
  }
  if (saved.size > signed.size) {
    return problem(
      `the ledger shrank: the saved checkpoint has ${saved.size} entries, the latest ${signed.size}`,
    );
  }
  if (saved.size === 0) return [];
  if (saved.size === signed.size) {
    return Buffer.compare(savedRoot, signed.root) === 0
      ? []
      : problem(`the ledger signed two different roots for size ${saved.size}: its history was rewritten`);
  }
  try {
    const consistency = await client.consistency(saved.size, signed.size);
    if (verifyConsistency(saved.size, signed.size, consistency.proof.map(unhex), savedRoot, signed.root))
      return [];
    return problem(
      `the latest checkpoint (size ${signed.size}) does not extend the saved one (size ${saved.size}): the first ${saved.size} entries were rewritten`,
    );
  } catch (error) {
    if (!(error instanceof LedgerApiError)) throw error;
    return problem(`no consistency proof from the saved size ${saved.size}: ${error.message}`);
  }
}
