import { hashLeaf, openCheckpoint, parseVerifierKey, type Checkpoint, type Hash } from '@gatehouse/merkle';
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

// The checks of one bundle once its header's checkpoint verified.
class BundleCheck {
  readonly problems: Problem[] = [];
  readonly #inclusion: SequentialInclusionVerifier;
  readonly #replay: LogReplay;
  readonly #from: number;
  readonly #to: number;
  #fenceBefore = false;
  #fenceAfter = false;
  #ended: number | undefined;

  constructor(
    readonly head: BundleHeader,
    readonly signed: Checkpoint,
    private readonly onProgress: VerifyBundleOptions['onProgress'],
  ) {
    this.#from = Date.parse(head.requested.from);
    this.#to = Date.parse(head.requested.to);
    if (head.range.end > signed.size) {
      this.#malformed(`the range ends at ${head.range.end}, beyond the checkpoint's ${signed.size} entries`);
    }
    this.#inclusion = new SequentialInclusionVerifier(signed.size, signed.root);
    this.#replay = new LogReplay({ firstIndex: head.range.start, chains: 'partial' });
  }

  /** Checks one line after the header. */
  line(value: unknown, lineNumber: number): void {
    if (!isObject(value)) return this.#malformed(`line ${lineNumber} is not an object`);
    if (this.#ended !== undefined) return this.#malformed(`line ${lineNumber} follows the end line`);
    const type = value['type'];
    if (type === 'readme') return;
    if (type === 'end') {
      this.#ended = Number.isSafeInteger(value['entries']) ? (value['entries'] as number) : -1;
      return;
    }
    if (type !== 'entry' && type !== 'fence') {
      return this.#malformed(`line ${lineNumber} has unknown type ${JSON.stringify(type)}`);
    }
    const line = provenLine(value);
    if (line === null) return this.#malformed(`line ${lineNumber} is not a well-formed ${type}`);
    if (type === 'fence') this.#fence(line, value['side']);
    else this.#entry(line);
  }

  /** Ends the check: completeness of the range and the session chains. */
  finish(): VerificationReport {
    const { start, end } = this.head.range;
    const { problems } = this;
    const replay = this.#replay;
    if (replay.nextIndex < end) {
      problems.push({
        kind: 'missing-entry',
        index: replay.nextIndex,
        message: `entries ${replay.nextIndex} to ${end - 1} are missing`,
      });
    }
    if (end > start && start > 0 && !this.#fenceBefore) {
      problems.push({
        kind: 'incomplete-range',
        index: start,
        message: `no fence proves entry ${start - 1} lies before the range`,
      });
    }
    if (end > start && end < this.signed.size && !this.#fenceAfter) {
      problems.push({
        kind: 'incomplete-range',
        index: end,
        message: `no fence proves entry ${end} lies after the range`,
      });
    }
    if (this.#ended === undefined) {
      problems.push({
        kind: 'incomplete-range',
        index: replay.nextIndex,
        message: 'the bundle has no end line: it was truncated',
      });
    } else if (this.#ended !== replay.size) {
      this.#malformed(`the end line counts ${this.#ended} entries, the bundle holds ${replay.size}`);
    }
    const finished = replay.finish();
    return buildReport({
      checkpoint: this.signed,
      entries: replay.size,
      chains: finished.chains,
      problems: [...problems, ...finished.problems],
      range: { from: this.head.requested.from, to: this.head.requested.to, start, end },
    });
  }

  #malformed(message: string, index: number | null = null): void {
    this.problems.push({ kind: 'malformed-bundle', index, message });
  }

  #proven(line: ProvenLine, leafHash: Hash): boolean {
    return this.#inclusion.verify(
      line.index,
      leafHash,
      line.proof.map((p) => Buffer.from(p, 'hex')),
    );
  }

  #fence(line: ProvenLine, side: unknown): void {
    const { start, end } = this.head.range;
    const expected = side === 'before' ? start - 1 : side === 'after' ? end : undefined;
    if (expected === undefined || line.index !== expected) {
      this.problems.push({
        kind: 'incomplete-range',
        index: line.index,
        message: `fence ${String(side)} at index ${line.index} does not border the range ${start} to ${end - 1}`,
      });
      return;
    }
    if (side === 'before') {
      if (this.#replay.size > 0) this.#malformed('the fence before the range follows entries', line.index);
      this.#fenceBefore = true;
    } else {
      this.#fenceAfter = true;
    }
    const bytes = encoder.encode(line.canonical);
    const leafHash = hashLeaf(bytes);
    if (line.leafHash !== Buffer.from(leafHash).toString('hex')) {
      this.problems.push({
        kind: 'leaf-hash-mismatch',
        index: line.index,
        message: `fence ${line.index}: its leaf hash is not the hash of its record`,
      });
    }
    if (!this.#proven(line, leafHash)) {
      this.problems.push({
        kind: 'not-in-signed-log',
        index: line.index,
        message: `fence ${line.index} is not in the signed log`,
      });
    }
    const time = Date.parse(readChainFields(bytes)?.time ?? '');
    if (!(time < this.#from || time >= this.#to)) {
      this.problems.push({
        kind: 'incomplete-range',
        index: line.index,
        message: `entry ${line.index}, the fence ${String(side)} the range, lies inside the requested time range: entries were cut off`,
      });
    }
  }

  #entry(line: ProvenLine): void {
    const { start, end } = this.head.range;
    if (this.#fenceAfter)
      this.#malformed(`entry ${line.index} follows the fence after the range`, line.index);
    if (line.index < start || line.index >= end) {
      this.problems.push({
        kind: 'out-of-order',
        index: line.index,
        message: `entry ${line.index} lies outside the range ${start} to ${end - 1}`,
      });
    }
    const bytes = encoder.encode(line.canonical);
    this.#replay.add(line.index, bytes, Buffer.from(line.leafHash, 'hex'));
    if (!this.#proven(line, this.#replay.lastLeafHash())) {
      this.problems.push({
        kind: 'not-in-signed-log',
        index: line.index,
        message: `entry ${line.index} is not the entry the checkpoint signed at that index (changed, inserted or moved)`,
      });
    }
    if (this.#replay.size % 4096 === 0) this.onProgress?.({ done: this.#replay.size, total: end - start });
  }
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
  let check: BundleCheck | undefined;
  let lineNumber = 0;
  const failed = (problem: Problem) =>
    buildReport({ checkpoint: null, entries: 0, chains: null, problems: [problem] });
  for await (const text of lines) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (check === undefined) break;
      check.problems.push({
        kind: 'malformed-bundle',
        index: null,
        message: `line ${lineNumber} is not JSON`,
      });
      continue;
    }
    if (check !== undefined) {
      check.line(value, lineNumber);
      continue;
    }
    const head = header(value);
    if (head === null) {
      return failed({
        kind: 'malformed-bundle',
        index: null,
        message: `line ${lineNumber} is not a ${EXPORT_BUNDLE_FORMAT} header`,
      });
    }
    const signed = openCheckpoint(head.checkpoint.note, verifier, options.origin);
    if (signed === null) {
      return failed({
        kind: 'bad-signature',
        index: null,
        message: `the bundle's checkpoint is not signed by the pinned key ${verifier.name}${options.origin ? ` for origin ${options.origin}` : ''}`,
      });
    }
    check = new BundleCheck(head, signed, options.onProgress);
  }
  if (check === undefined) {
    return failed({
      kind: 'malformed-bundle',
      index: null,
      message: 'the bundle does not start with a header line',
    });
  }
  return check.finish();
}
