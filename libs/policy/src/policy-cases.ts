import { policyCasesSchema } from '@gatehouse/contracts';
import type { CompiledPolicy } from './compiled-policy.ts';
import type { Effect } from './effect.ts';
import { InvalidPolicyError } from './invalid-policy-error.ts';
import { parsePolicyYaml } from './load-policy.ts';
import { compileGlobs } from './name-pattern.ts';
import type { OperationFacts, RiskClass } from './operation-facts.ts';
import type { PolicyDecision } from './policy-decision.ts';
import type { Language, PolicyRequest, TargetKind } from './policy-request.ts';
import { compileSchema, type SchemaCheck } from './schema-validator.ts';

/** How {@link runPolicyCases} classifies `sql:` and `shell:` cases, and its clock. */
export interface PolicyCaseOptions {
  /** Classifies SQL text, e.g. `(await createSqlClassifier()).classify` from @gatehouse/sql-risk. */
  readonly classifySql?: (text: string) => OperationFacts;
  /** Classifies a shell command, e.g. the classifier from @gatehouse/shell-risk. */
  readonly classifyShell?: (text: string) => OperationFacts;
  /** Request time for cases without `context.time` (default: the current time). */
  readonly now?: Date;
  /**
   * What a case whose text has no classifier becomes: `fail` (default, so CI cannot pass a case
   * it never ran) or `skip` (reported and counted apart, for a quick run without classifiers).
   */
  readonly unclassified?: 'fail' | 'skip';
}

/** Outcome of one case. */
export const CaseStatus = ['pass', 'fail', 'skip'] as const;

/** One of {@link CaseStatus}. */
export type CaseStatus = (typeof CaseStatus)[number];

/** What a case expects. */
export interface CaseExpectation {
  /** Expected effect. */
  readonly effect: Effect;
  /** Expected deciding rule, when the case names one. */
  readonly rule?: string;
  /** Expected masking profile, when the case names one. */
  readonly masking?: string;
}

/** Result of one case. */
export interface CaseResult {
  /** The case's name. */
  readonly name: string;
  /** Whether the decision met every expectation, or the case could not run. */
  readonly status: CaseStatus;
  /** What the case expected. */
  readonly expected: CaseExpectation;
  /** The policy's decision, when the case ran. */
  readonly decision?: PolicyDecision;
  /** Why the case failed or was skipped; empty when it passed. */
  readonly problems: readonly string[];
}

/** Results of a cases file against one policy. */
export interface CaseReport {
  /** Name of the policy under test. */
  readonly policyName: string;
  /** Content version of the policy under test. */
  readonly policyVersion: string;
  /** Number of cases. */
  readonly total: number;
  /** Cases that passed. */
  readonly passed: number;
  /** Cases that failed. */
  readonly failed: number;
  /** Cases skipped for want of a classifier (only with `unclassified: 'skip'`). */
  readonly skipped: number;
  /** Every case, in file order. */
  readonly results: readonly CaseResult[];
}

interface CaseFile {
  cases: PolicyCase[];
}

interface PolicyCase {
  name: string;
  actor: { sub: string; groups?: string[]; issuer?: string };
  target: string | { name: string; kind?: TargetKind; labels?: Record<string, string> };
  language?: Language;
  sql?: string;
  shell?: string;
  classification?: {
    riskClass: RiskClass;
    kinds?: string[];
    riskFlags?: string[];
    relationsRead?: string[];
    relationsWritten?: string[];
    functions?: string[];
  };
  context?: { tls?: boolean; clientAddress?: string; time?: string };
  expect: Effect;
  rule?: string;
  masking?: string;
}

/** Issuer of a case actor that names none: matches only rules that do not restrict issuers. */
export const DEFAULT_CASE_ISSUER = 'any';

let casesCheck: SchemaCheck | undefined;

/**
 * Runs a YAML table of requests and expected decisions (contracts/policy/policy-cases.schema.json)
 * against a policy: operators' CI proves a policy change does what they meant.
 * @throws InvalidPolicyError when the cases file itself is invalid (every problem listed).
 */
export function runPolicyCases(
  policy: CompiledPolicy,
  casesYaml: string,
  options: PolicyCaseOptions = {},
): CaseReport {
  const file = parseCaseFile(casesYaml);
  const inferKind = kindInference(policy);
  const now = options.now ?? new Date();
  const results = file.cases.map((policyCase) => runCase(policy, policyCase, options, now, inferKind));
  const count = (status: CaseStatus) => results.filter((result) => result.status === status).length;
  return {
    policyName: policy.name,
    policyVersion: policy.version,
    total: results.length,
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    results,
  };
}

function parseCaseFile(casesYaml: string): CaseFile {
  const value = parsePolicyYaml(casesYaml, 'policy cases');
  casesCheck ??= compileSchema(policyCasesSchema);
  const problems = casesCheck(value);
  if (problems.length === 0) {
    (value as CaseFile).cases.forEach((policyCase, index) => {
      const given = (['sql', 'shell', 'classification'] as const).filter(
        (key) => policyCase[key] !== undefined,
      );
      if (given.length !== 1) {
        problems.push(
          `/cases/${index}: needs exactly one of sql, shell or classification (got ${given.length})`,
        );
      }
      const time = policyCase.context?.time;
      if (time !== undefined && Number.isNaN(Date.parse(time))) {
        problems.push(`/cases/${index}/context/time: not a valid date`);
      }
    });
  }
  if (problems.length > 0) throw new InvalidPolicyError('policy cases', problems);
  return value as CaseFile;
}

function runCase(
  policy: CompiledPolicy,
  policyCase: PolicyCase,
  options: PolicyCaseOptions,
  now: Date,
  inferKind: (name: string) => TargetKind | undefined,
): CaseResult {
  const expected: CaseExpectation = {
    effect: policyCase.expect,
    ...(policyCase.rule === undefined ? {} : { rule: policyCase.rule }),
    ...(policyCase.masking === undefined ? {} : { masking: policyCase.masking }),
  };
  const unrunnable = (problem: string, status: CaseStatus = 'fail'): CaseResult => ({
    name: policyCase.name,
    status,
    expected,
    problems: [problem],
  });

  const target = typeof policyCase.target === 'string' ? { name: policyCase.target } : policyCase.target;
  const textLanguage: Language | undefined =
    policyCase.sql !== undefined ? 'sql' : policyCase.shell !== undefined ? 'shell' : policyCase.language;
  const kind: TargetKind =
    target.kind ?? inferKind(target.name) ?? (textLanguage === 'shell' ? 'ssh' : 'postgres');
  const language: Language = textLanguage ?? (kind === 'ssh' ? 'shell' : 'sql');

  let classification: OperationFacts;
  if (policyCase.classification !== undefined) {
    const given = policyCase.classification;
    classification = {
      riskClass: given.riskClass,
      kinds: given.kinds ?? [],
      riskFlags: given.riskFlags ?? [],
      relationsRead: given.relationsRead ?? [],
      relationsWritten: given.relationsWritten ?? [],
      functions: given.functions ?? [],
    };
  } else {
    const text = policyCase.sql ?? policyCase.shell ?? '';
    const classify = language === 'sql' ? options.classifySql : options.classifyShell;
    if (classify === undefined) {
      const option = language === 'sql' ? 'classifySql' : 'classifyShell';
      return unrunnable(
        `a ${language} case needs options.${option} to classify its text`,
        options.unclassified === 'skip' ? 'skip' : 'fail',
      );
    }
    try {
      classification = classify(text);
    } catch (cause) {
      return unrunnable(`the ${language} classifier threw: ${errorMessage(cause)}`);
    }
  }

  const request: PolicyRequest = {
    actor: {
      sub: policyCase.actor.sub,
      groups: policyCase.actor.groups ?? [],
      issuer: policyCase.actor.issuer ?? DEFAULT_CASE_ISSUER,
    },
    target: { name: target.name, kind, ...(target.labels === undefined ? {} : { labels: target.labels }) },
    operation: { language, classification },
    context: {
      tls: policyCase.context?.tls ?? true,
      clientAddress: policyCase.context?.clientAddress ?? '127.0.0.1',
      time: policyCase.context?.time === undefined ? now : new Date(policyCase.context.time),
    },
  };
  let decision: PolicyDecision;
  try {
    decision = policy.evaluate(request);
  } catch (cause) {
    return unrunnable(`evaluate threw: ${errorMessage(cause)}`);
  }

  const problems: string[] = [];
  if (decision.effect !== expected.effect) {
    problems.push(`expected ${expected.effect}, got ${decision.effect} (${decision.reason})`);
  }
  if (expected.rule !== undefined && decision.rule !== expected.rule) {
    problems.push(`expected rule ${expected.rule}, got ${decision.rule}`);
  }
  if (expected.masking !== undefined && decision.maskingProfile !== expected.masking) {
    problems.push(`expected masking ${expected.masking}, got ${decision.maskingProfile ?? 'none'}`);
  }
  return {
    name: policyCase.name,
    status: problems.length === 0 ? 'pass' : 'fail',
    expected,
    decision,
    problems,
  };
}

/**
 * A case that names only its target gets the kind the policy's rules give that name, when they
 * agree on exactly one.
 */
function kindInference(policy: CompiledPolicy): (name: string) => TargetKind | undefined {
  const scoped = policy.document.rules.flatMap((rule) => {
    const targets = rule.match.targets;
    if (targets?.names === undefined || targets.kinds === undefined) return [];
    return [{ names: compileGlobs(targets.names, { ignoreCase: false }), kinds: targets.kinds }];
  });
  return (name) => {
    const kinds = new Set<TargetKind>();
    for (const { names, kinds: ruleKinds } of scoped) {
      if (names.matches(name)) for (const kind of ruleKinds) kinds.add(kind);
    }
    return kinds.size === 1 ? [...kinds][0] : undefined;
  };
}

function errorMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
