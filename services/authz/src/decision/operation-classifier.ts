import type { BodyOf, Classification } from '@gatehouse/contracts';
import type { OperationFacts } from '@gatehouse/policy';
import { classifyShell } from '@gatehouse/shell-risk';
import type { SqlClassifier } from '@gatehouse/sql-risk';
import { ClassificationCache } from './classification-cache.ts';

type Operation = BodyOf<'gatehouse.authz.v1.decide_request'>['operation'];

/**
 * Flags (the same names in @gatehouse/sql-risk and @gatehouse/shell-risk) saying the classifier
 * could not establish what the text does at all: authz refuses such text whatever the policy says
 * (issue #3: "refused with a clear error, never passed through").
 */
export const UNCLASSIFIABLE_FLAGS: ReadonlySet<string> = new Set(['unparsable', 'too_large', 'too_complex']);

// The reply carries the normalized text in at most 64 KiB: a longer command line could not be
// answered with its classification anyway, so it is not parsed (shell-risk's own default).
const MAX_SHELL_BYTES = 65_536;

/** Texts longer than this are classified every time instead of cached. */
const MAX_CACHED_TEXT_LENGTH = 4096;

/** What a classifier found in one operation: the facts the policy matches and what evidence records. */
export interface ClassifiedOperation {
  /** What the policy engine looks at. */
  readonly facts: OperationFacts;
  /** The reply's `classification` (frozen and shared between replies: never mutate). */
  readonly classification: Classification;
  /** The {@link UNCLASSIFIABLE_FLAGS} raised, in the classifier's order; empty when classified. */
  readonly unclassifiable: readonly string[];
}

/** Options of {@link OperationClassifier}. */
export interface OperationClassifierOptions {
  /** Classifications kept per language (0 disables the cache). */
  readonly cacheSize: number;
  /** Largest operation text classified, in UTF-8 bytes; larger text is `unknown` with flag `too_large`. */
  readonly maxTextBytes: number;
}

/**
 * Classifies SQL with @gatehouse/sql-risk and shell commands with @gatehouse/shell-risk, keeping
 * recent results in a bounded LRU cache per language (classification is a pure function of the text).
 */
export class OperationClassifier {
  readonly #sqlCache: ClassificationCache<ClassifiedOperation>;
  readonly #shellCache: ClassificationCache<ClassifiedOperation>;

  constructor(
    private readonly sqlClassifier: SqlClassifier,
    private readonly options: OperationClassifierOptions,
  ) {
    this.#sqlCache = new ClassificationCache(options.cacheSize, MAX_CACHED_TEXT_LENGTH);
    this.#shellCache = new ClassificationCache(options.cacheSize, MAX_CACHED_TEXT_LENGTH);
  }

  /** Classifies one operation; throws only if a classifier itself fails (callers refuse). */
  classify(operation: Operation): ClassifiedOperation {
    const cache = operation.kind === 'sql' ? this.#sqlCache : this.#shellCache;
    let classified = cache.get(operation.text);
    if (classified === undefined) {
      classified =
        operation.kind === 'sql' ? this.classifySql(operation.text) : this.classifyShell(operation.text);
      cache.set(operation.text, classified);
    }
    return classified;
  }

  /** Drops every cached classification (e.g. in benchmarks measuring cold classification). */
  clearCache(): void {
    this.#sqlCache.clear();
    this.#shellCache.clear();
  }

  private classifySql(text: string): ClassifiedOperation {
    const sql = this.sqlClassifier.classify(text);
    return classified(sql, {
      riskClass: sql.riskClass,
      kinds: sql.kinds,
      riskFlags: sql.riskFlags,
      relationsRead: sql.relationsRead,
      relationsWritten: sql.relationsWritten,
      fingerprint: sql.fingerprint,
      normalized: sql.normalized,
      statementCount: sql.statements.length,
    });
  }

  private classifyShell(text: string): ClassifiedOperation {
    const shell = classifyShell(text, { maxBytes: Math.min(this.options.maxTextBytes, MAX_SHELL_BYTES) });
    // Shell commands name no relations or functions: the policy matches on class, kinds and flags.
    return classified(
      {
        riskClass: shell.riskClass,
        kinds: shell.kinds,
        riskFlags: shell.riskFlags,
        relationsRead: [],
        relationsWritten: [],
        functions: [],
      },
      {
        riskClass: shell.riskClass,
        kinds: shell.kinds,
        riskFlags: shell.riskFlags,
        relationsRead: [],
        relationsWritten: [],
        fingerprint: shell.fingerprint,
        normalized: shell.normalized,
        statementCount: shell.statementCount,
      },
    );
  }
}

/** A {@link Classification} whose lists may be the classifier's own read-only arrays (copied before sharing). */
type ClassifierOutput = Omit<Classification, ListField> & { readonly [K in ListField]: readonly string[] };

type ListField = 'kinds' | 'riskFlags' | 'relationsRead' | 'relationsWritten';

function classified(facts: OperationFacts, classification: ClassifierOutput): ClassifiedOperation {
  return Object.freeze({
    facts,
    classification: Object.freeze({
      ...classification,
      kinds: Object.freeze([...classification.kinds]) as string[],
      riskFlags: Object.freeze([...classification.riskFlags]) as string[],
      relationsRead: Object.freeze([...classification.relationsRead]) as string[],
      relationsWritten: Object.freeze([...classification.relationsWritten]) as string[],
    }),
    unclassifiable: facts.riskFlags.filter((flag) => UNCLASSIFIABLE_FLAGS.has(flag)),
  });
}
