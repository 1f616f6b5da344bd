import { parseDurationMs } from '@gatehouse/config';
import { ClientNetworks } from './client-networks.ts';
import { effectRank } from './effect.ts';
import { compileExact, compileGlobs, type NamePattern } from './name-pattern.ts';
import type { PolicyDecision } from './policy-decision.ts';
import type { PolicyRule, SetMatch } from './policy-document.ts';
import type { PolicyRequest, TargetKind } from './policy-request.ts';
import { compileSetMatch, type CompiledSetMatch } from './set-match.ts';
import { parseClockTime, TimeWindow, type ZoneClock } from './time-window.ts';

/** Document-wide values a rule falls back on, resolved once. */
export interface RuleDefaults {
  /** `defaults.cacheTtl` in milliseconds. */
  readonly cacheTtlMs: number;
  /** `defaults.holdTimeout` in seconds. */
  readonly holdTimeoutSeconds: number;
  /** Content version stamped on every decision. */
  readonly policyVersion: string;
  /** One clock per time zone, shared by the rules that use it. */
  readonly clockFor: (timeZone: string) => ZoneClock;
}

const ignoreCase = (patterns: readonly string[]): NamePattern => compileGlobs(patterns, { ignoreCase: true });
const caseSensitive = (patterns: readonly string[]): NamePattern =>
  compileGlobs(patterns, { ignoreCase: false });

/**
 * One rule compiled for the hot path: every list becomes a Set or a compiled pattern, and its
 * conditions are split by what the edge's decision cache key covers.
 *
 * - Keyed conditions (groups, target, operation) are part of the cache key (groups, target,
 *   fingerprint), so a decision that depends on them stays right for every cache hit.
 * - Unkeyed conditions (subjects, issuers, session, time) are not in the key: when the outcome
 *   of one of them could have changed the decision, the decision is not cached (identity and
 *   session) or cached only until the time window's next edge (time).
 */
export class CompiledRule {
  /** Precedence of the rule's effect (deny > review > allow). */
  readonly rank: number;
  /** The decision this rule gives, shared by every call (frozen). */
  readonly decision: Readonly<PolicyDecision>;
  /** Whether any unkeyed condition exists. */
  readonly unkeyed: boolean;
  /** Whether an identity or session condition (never cacheable) exists. */
  readonly uncacheable: boolean;
  /** The time window, when the rule has one. */
  readonly time: TimeWindow | undefined;

  private readonly groups: ReadonlySet<string> | undefined;
  private readonly targetNames: NamePattern | undefined;
  private readonly targetKinds: ReadonlySet<string> | undefined;
  private readonly labels: readonly (readonly [string, string])[] | undefined;
  private readonly languages: ReadonlySet<string> | undefined;
  private readonly riskClasses: ReadonlySet<string> | undefined;
  private readonly kinds: CompiledSetMatch | undefined;
  private readonly flags: CompiledSetMatch | undefined;
  private readonly relationsRead: CompiledSetMatch | undefined;
  private readonly relationsWritten: CompiledSetMatch | undefined;
  private readonly functions: CompiledSetMatch | undefined;
  private readonly subjects: ReadonlySet<string> | undefined;
  private readonly issuers: ReadonlySet<string> | undefined;
  private readonly tls: boolean | undefined;
  private readonly networks: ClientNetworks | undefined;

  constructor(
    readonly index: number,
    readonly source: PolicyRule,
    defaults: RuleDefaults,
  ) {
    const { match } = source;
    const { targets, operation, time, session } = match;
    this.rank = effectRank(source.effect);
    this.groups = optionalSet(match.groups);
    this.targetNames = targets?.names === undefined ? undefined : caseSensitive(targets.names);
    this.targetKinds = optionalSet(targets?.kinds);
    this.labels = targets?.labels === undefined ? undefined : Object.entries(targets.labels);
    this.languages = optionalSet(operation?.languages);
    this.riskClasses = optionalSet(operation?.riskClasses);
    this.kinds = optionalSetMatch(operation?.kinds, compileExact);
    this.flags = optionalSetMatch(operation?.flags, compileExact);
    this.relationsRead = optionalSetMatch(operation?.relations?.read, ignoreCase);
    this.relationsWritten = optionalSetMatch(operation?.relations?.written, ignoreCase);
    this.functions = optionalSetMatch(operation?.functions, ignoreCase);
    this.subjects = optionalSet(match.subjects);
    this.issuers = optionalSet(match.issuers);
    this.tls = session?.tls;
    this.networks = session?.clientCidrs === undefined ? undefined : new ClientNetworks(session.clientCidrs);
    this.time =
      time === undefined
        ? undefined
        : new TimeWindow(
            defaults.clockFor(time.timezone ?? 'UTC'),
            time.days,
            time.between === undefined ? undefined : parseClockTime(time.between[0]),
            time.between === undefined ? undefined : parseClockTime(time.between[1]),
          );
    this.uncacheable =
      this.subjects !== undefined ||
      this.issuers !== undefined ||
      this.tls !== undefined ||
      this.networks !== undefined;
    this.unkeyed = this.uncacheable || this.time !== undefined;
    this.decision = buildDecision(source, defaults);
  }

  /** Whether the rule's target name and kind conditions hold (memoized per target by the policy). */
  matchesTarget(name: string, kind: TargetKind): boolean {
    if (this.targetKinds !== undefined && !this.targetKinds.has(kind)) return false;
    if (this.targetNames !== undefined && !this.targetNames.matches(name)) return false;
    return true;
  }

  /**
   * Whether the keyed conditions other than target name and kind hold; the cheapest and most
   * selective are tested first.
   */
  matchesKeyed(request: PolicyRequest): boolean {
    const { target, operation } = request;
    if (this.languages !== undefined && !this.languages.has(operation.language)) return false;
    const facts = operation.classification;
    if (this.riskClasses !== undefined && !this.riskClasses.has(facts.riskClass)) return false;
    if (this.groups !== undefined && !hasAny(request.actor.groups, this.groups)) return false;
    if (this.labels !== undefined && !hasLabels(target.labels, this.labels)) return false;
    if (this.kinds !== undefined && !this.kinds.test(facts.kinds)) return false;
    if (this.flags !== undefined && !this.flags.test(facts.riskFlags)) return false;
    if (this.relationsRead !== undefined && !this.relationsRead.test(facts.relationsRead)) return false;
    if (this.relationsWritten !== undefined && !this.relationsWritten.test(facts.relationsWritten))
      return false;
    if (this.functions !== undefined && !this.functions.test(facts.functions)) return false;
    return true;
  }

  /**
   * Whether the unkeyed conditions hold.
   * @throws RangeError when the rule has a time window and the request time is not a valid date.
   */
  matchesUnkeyed(request: PolicyRequest): boolean {
    const { actor, context } = request;
    if (this.subjects !== undefined && !this.subjects.has(actor.sub)) return false;
    if (this.issuers !== undefined && !this.issuers.has(actor.issuer)) return false;
    if (this.tls !== undefined && this.tls !== context.tls) return false;
    if (this.networks !== undefined && !this.networks.contains(context.clientAddress)) return false;
    if (this.time !== undefined && !this.time.contains(requestTime(request))) return false;
    return true;
  }
}

/** The request time in epoch milliseconds; a decision must never rest on an invalid clock. */
export function requestTime(request: PolicyRequest): number {
  const ms = request.context.time.getTime();
  if (Number.isNaN(ms)) throw new RangeError('request context.time is not a valid date');
  return ms;
}

function buildDecision(rule: PolicyRule, defaults: RuleDefaults): Readonly<PolicyDecision> {
  const decision: PolicyDecision = {
    effect: rule.effect,
    rule: rule.id,
    reason: rule.reason ?? `${rule.effect} by policy rule ${rule.id}`,
    policyVersion: defaults.policyVersion,
    cacheTtlMs: rule.cacheTtl === undefined ? defaults.cacheTtlMs : parseDurationMs(rule.cacheTtl),
  };
  if (rule.masking !== undefined) decision.maskingProfile = rule.masking;
  if (rule.approval !== undefined) {
    decision.approval = Object.freeze({
      groups: Object.freeze([...rule.approval.groups]) as string[],
      quorum: rule.approval.quorum ?? 1,
      holdTimeoutSeconds:
        rule.approval.holdTimeout === undefined
          ? defaults.holdTimeoutSeconds
          : parseDurationMs(rule.approval.holdTimeout) / 1000,
    });
  }
  return Object.freeze(decision);
}

function optionalSet<T>(values: readonly T[] | undefined): ReadonlySet<T> | undefined {
  return values === undefined ? undefined : new Set(values);
}

function optionalSetMatch(
  spec: SetMatch | undefined,
  compile: (patterns: readonly string[]) => NamePattern,
): CompiledSetMatch | undefined {
  return spec === undefined ? undefined : compileSetMatch(spec, compile);
}

function hasAny(values: readonly string[], wanted: ReadonlySet<string>): boolean {
  for (const value of values) if (wanted.has(value)) return true;
  return false;
}

function hasLabels(
  labels: Readonly<Record<string, string>> | undefined,
  wanted: readonly (readonly [string, string])[],
): boolean {
  if (labels === undefined) return false;
  for (const [key, value] of wanted) if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  return true;
}
