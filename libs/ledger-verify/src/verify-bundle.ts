import { hashLeaf, openCheckpoint, parseVerifierKey, type Checkpoint } from '@gatehouse/merkle';
import { readChainFields } from './chain-fields.ts';
import { EXPORT_BUNDLE_FORMAT, type BundleHeader } from './export-bundle.ts';
import { LogReplay } from './log-replay.ts';
import type { Problem } from './problem.ts';
import { SequentialInclusionVerifier } from './sequential-inclusion.ts';
import { buildReport, type VerificationReport } from './verification-report.ts';
import type { VerifyProgress } from './verify-ledger.ts';

/** Options of {@link verifyBundle}. */
export interface VerifyBundleOptions {
  /** The pinned note verifier key of the ledger (not the copy inside the bundle). */
  readonly verifierKey: string;
  /** Origin the checkpoint must name; any origin signed by the key when omitted. */
  readonly origin?: string;
  readonly onProgress?: (progress: VerifyProgress) => void;
}

const HEX_HASH = /^[0-9a-f]{64}$/;
const encoder = new TextEncoder();

interface ProvenLine {
  index: number;
  leafHash: string;
  canonical: string;
  proof: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function provenLine(value: Record<string, unknown>): ProvenLine | null {
  const { index, leafHash, canonical, proof } = value;
  if (!Number.isSafeInteger(index) || (index as number) < 0) return null;
  if (typeof leafHash !== 'string' || !HEX_HASH.test(leafHash) || typeof canonical !== 'string') return null;
  if (!Array.isArray(proof) || !proof.every((item) => typeof item === 'string' && HEX_HASH.test(item)))
    return null;
  return { index: index as number, leafHash, canonical, proof: proof as string[] };
}

function header(value: unknown): BundleHeader | null {
  if (!isObject(value) || value['type'] !== 'header' || value['format'] !== EXPORT_BUNDLE_FORMAT) return null;
  const { requested, range, checkpoint } = value;
  if (!isObject(requested) || typeof requested['from'] !== 'string' || typeof requested['to'] !== 'string')
    return null;
  if (!isObject(range) || !Number.isSafeInteger(range['start']) || !Number.isSafeInteger(range['end']))
    return null;
  if ((range['start'] as number) < 0 || (range['end'] as number) < (range['start'] as number)) return null;
  if (!isObject(checkpoint) || typeof checkpoint['note'] !== 'string') return null;
  return value as unknown as BundleHeader;
}

/**
 * Verifies an export bundle offline (see `export-bundle.ts`): the checkpoint signature against
 * the pinned key; every entry's leaf hash recomputed from its record text and its inclusion proof
 * to that checkpoint; that the entries run without gaps over the range, with fences proving no
 * in-range entry was cut off at either end; the session chains inside the bundle; and the end
 * line (a truncated bundle has none). Names the first bad index.
 *
 * @param lines The bundle's lines, without newlines (e.g. from `readline`).
 */
export async function verifyBundle(
  lines: AsyncIterable<string> | Iterable<string>,
  options: VerifyBundleOptions,
): Promise<VerificationReport> {
  const verifier = parseVerifierKey(options.verifierKey);
  const problems: Problem[] = [];
  const malformed = (message: string, index: number | null = null): void => {
    problems.push({ kind: 'malformed-bundle', index, message });
  };
  let head: BundleHeader | undefined;
  let signed: Checkpoint | undefined;
  let inclusion: SequentialInclusionVerifier | undefined;
  let replay: LogReplay | undefined;
  let lineNumber = 0;
  let fenceBefore = false;
  let fenceAfter = false;
  let ended: number | undefined;
  let from = 0;
  let to = 0;

  for await (const text of lines) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      malformed(`line ${lineNumber} is not JSON`);
      continue;
    }
    if (head === undefined) {
      const parsed = header(value);
      if (parsed === null) {
        malformed(`line ${lineNumber} is not a ${EXPORT_BUNDLE_FORMAT} header`);
        break;
      }
      head = parsed;
      const opened = openCheckpoint(parsed.checkpoint.note, verifier, options.origin);
      if (opened === null) {
        problems.push({
          kind: 'bad-signature',
          index: null,
          message: `the bundle's checkpoint is not signed by the pinned key ${verifier.name}${options.origin ? ` for origin ${options.origin}` : ''}`,
        });
        break;
      }
      signed = opened;
      from = Date.parse(parsed.requested.from);
      to = Date.parse(parsed.requested.to);
      if (parsed.range.end > opened.size) {
        malformed(`the range ends at ${parsed.range.end}, beyond the checkpoint's ${opened.size} entries`);
      }
      inclusion = new SequentialInclusionVerifier(opened.size, opened.root);
      replay = new LogReplay({ firstIndex: parsed.range.start, chains: 'partial' });
      continue;
    }
    if (!isObject(value)) {
      malformed(`line ${lineNumber} is not an object`);
      continue;
    }
    if (ended !== undefined) {
      malformed(`line ${lineNumber} follows the end line`);
      continue;
    }
    const type = value['type'];
    if (type === 'readme') continue;
    if (type === 'end') {
      ended = Number.isSafeInteger(value['entries']) ? (value['entries'] as number) : -1;
      continue;
    }
    if (type !== 'entry' && type !== 'fence') {
      malformed(`line ${lineNumber} has unknown type ${JSON.stringify(type)}`);
      continue;
    }
    const line = provenLine(value);
    if (line === null) {
      malformed(`line ${lineNumber} is not a well-formed ${type}`);
      continue;
    }
    const bytes = encoder.encode(line.canonical);
    const { start, end } = head.range;
    if (type === 'fence') {
      const side = value['side'];
      const expected = side === 'before' ? start - 1 : side === 'after' ? end : undefined;
      if (expected === undefined || line.index !== expected) {
        problems.push({
          kind: 'incomplete-range',
          index: line.index,
          message: `fence ${String(side)} at index ${line.index} does not border the range ${start} to ${end - 1}`,
        });
        continue;
      }
      if (side === 'before') {
        if ((replay as LogReplay).size > 0)
          malformed(`the fence before the range follows entries`, line.index);
        fenceBefore = true;
      } else {
        fenceAfter = true;
      }
      const leafHash = hashLeaf(bytes);
      if (line.leafHash !== Buffer.from(leafHash).toString('hex')) {
        problems.push({
          kind: 'leaf-hash-mismatch',
          index: line.index,
          message: `fence ${line.index}: its leaf hash is not the hash of its record`,
        });
      }
      if (
        !(inclusion as SequentialInclusionVerifier).verify(
          line.index,
          leafHash,
          line.proof.map((p) => Buffer.from(p, 'hex')),
        )
      ) {
        problems.push({
          kind: 'not-in-signed-log',
          index: line.index,
          message: `fence ${line.index} is not in the signed log`,
        });
      }
      const time = Date.parse(readChainFields(bytes)?.time ?? '');
      if (!(time < from || time >= to)) {
        problems.push({
          kind: 'incomplete-range',
          index: line.index,
          message: `entry ${line.index}, the fence ${String(side)} the range, lies inside the requested time range: entries were cut off`,
        });
      }
      continue;
    }
    if (fenceAfter) malformed(`entry ${line.index} follows the fence after the range`, line.index);
    if (line.index < start || line.index >= end) {
      problems.push({
        kind: 'out-of-order',
        index: line.index,
        message: `entry ${line.index} lies outside the range ${start} to ${end - 1}`,
      });
    }
    const replayed = (replay as LogReplay).add(line.index, bytes, Buffer.from(line.leafHash, 'hex'));
    if (
      !(inclusion as SequentialInclusionVerifier).verify(
        line.index,
        replayed.leafHash,
        line.proof.map((p) => Buffer.from(p, 'hex')),
      )
    ) {
      problems.push({
        kind: 'not-in-signed-log',
        index: line.index,
        message: `entry ${line.index} is not the entry the checkpoint signed at that index (changed, inserted or moved)`,
      });
    }
    if ((replay as LogReplay).size % 4096 === 0) {
      options.onProgress?.({ done: (replay as LogReplay).size, total: end - start });
    }
  }

  if (head === undefined || signed === undefined || replay === undefined) {
    if (head === undefined && problems.length === 0) malformed('the bundle is empty');
    return buildReport({ checkpoint: null, entries: 0, chains: null, problems });
  }
  const { start, end } = head.range;
  if (replay.nextIndex < end) {
    problems.push({
      kind: 'missing-entry',
      index: replay.nextIndex,
      message: `entries ${replay.nextIndex} to ${end - 1} are missing`,
    });
  }
  if (end > start && start > 0 && !fenceBefore) {
    problems.push({
      kind: 'incomplete-range',
      index: start,
      message: `no fence proves entry ${start - 1} lies before the range`,
    });
  }
  if (end > start && end < signed.size && !fenceAfter) {
    problems.push({
      kind: 'incomplete-range',
      index: end,
      message: `no fence proves entry ${end} lies after the range`,
    });
  }
  if (ended === undefined) {
    problems.push({
      kind: 'incomplete-range',
      index: replay.nextIndex,
      message: 'the bundle has no end line: it was truncated',
    });
  } else if (ended !== replay.size) {
    malformed(`the end line counts ${ended} entries, the bundle holds ${replay.size}`);
  }
  const finished = replay.finish();
  return buildReport({
    checkpoint: signed,
    entries: replay.size,
    chains: finished.chains,
    problems: [...problems, ...finished.problems],
    range: { from: head.requested.from, to: head.requested.to, start, end },
  });
}
