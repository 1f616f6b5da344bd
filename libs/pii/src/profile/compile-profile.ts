import { ConfigError } from '@gatehouse/errors';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { createCustomRuleDetector } from '../detectors/custom-rule-detector.ts';
import type { Detector } from '../detectors/detector.ts';
import { createEmailDetector } from '../detectors/email.ts';
import { createHighEntropySecretDetector } from '../detectors/high-entropy-secret.ts';
import { createHintedValueDetector, HintedKind } from '../detectors/hinted-value.ts';
import { createIbanDetector } from '../detectors/iban.ts';
import { createIpv4Detector } from '../detectors/ipv4.ts';
import { createIpv6Detector } from '../detectors/ipv6.ts';
import { createJwtDetector } from '../detectors/jwt.ts';
import { createPaymentCardDetector } from '../detectors/payment-card.ts';
import { createPhoneDetector } from '../detectors/phone.ts';
import { createPrivateKeyDetector } from '../detectors/private-key.ts';
import { createUsSsnDetector } from '../detectors/us-ssn.ts';
import { isValidator, validatorCheck } from '../detectors/validator.ts';
import { createVendorSecretDetector } from '../detectors/vendor-secret.ts';
import { isMaskOperator, MaskOperator } from '../mask-operator.ts';
import { HmacSha256 } from '../masking/hmac-sha256.ts';
import type { MaskingKeys } from '../masking/masking-keys.ts';
import { TextScanner } from '../scan/text-scanner.ts';
import { isPiiEntity, PII_ENTITIES, PiiEntity } from '../pii-entity.ts';
import {
  BUILT_IN_COLUMN_HINTS,
  compileColumnPatterns,
  normalizeColumnName,
  withoutOrdinal,
} from './column-hints.ts';
import { BUILT_IN_SLOTS, EntitySlot } from './entity-slot.ts';
import type { MaskingProfile } from './masking-profile.ts';

/** A compiled column-name matcher: cells of matching columns hold entity `slot`. */
interface HintMatcher {
  readonly slot: number;
  readonly pattern: RegExp;
}

/** What a column (or JSON key) name says about its values. */
export interface NameHint {
  /** Entity slot the name says the values hold, or -1. */
  readonly slot: number;
  /** The name says identifiers or versions (see `ColumnHints.identifier`). */
  readonly identifier: boolean;
  /** The hint came from a custom rule's `columns` (applies to any column type). */
  readonly fromRule: boolean;
}

const NO_HINT: NameHint = Object.freeze({ slot: -1, identifier: false, fromRule: false });
const IDENTIFIER_HINT: NameHint = Object.freeze({ slot: -1, identifier: true, fromRule: false });
const CUSTOM_ENTITY = /^[a-z][a-z0-9_]{0,39}$/;
const HINT_ORDER: readonly (PiiEntity | 'identifier')[] = [
  PiiEntity.Email,
  PiiEntity.Phone,
  PiiEntity.Card,
  PiiEntity.Ssn,
  PiiEntity.Iban,
  PiiEntity.Ipv4,
  PiiEntity.Secret,
  PiiEntity.Dob,
  PiiEntity.Name,
  PiiEntity.Address,
];
const KEY_CACHE_LIMIT = 4096;
const COLUMN_CACHE_LIMIT = 8192;
const IDENTIFIER_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,47}$/;

/**
 * A masking profile with every regex, lookup table and key prepared once. Immutable and safe to
 * share across result sets; build it with {@link compileProfile}.
 */
export class CompiledProfile implements MaskingKeys {
  /** JSON-key hint cache: keys are schema names, looked up on every JSON cell. */
  private readonly keyHints = new Map<string, number>();
  /** Column hint cache: column names are schema, not data, and repeat on every statement. */
  private readonly columnHints = new Map<string, NameHint>();
  /** The profile's scanner, reused for every cell (scanning is synchronous). */
  readonly scanner: TextScanner;

  /** @internal Use {@link compileProfile}. */
  constructor(
    /** The profile's name. */
    readonly name: string,
    /** Default country for national phone numbers. */
    readonly region: CountryCode,
    /** Entity name per slot: the built-ins, then custom entities. */
    readonly entityNames: readonly string[],
    /** `[REDACTED:<entity>]` per slot. */
    readonly redactTokens: readonly string[],
    /** Operator per slot; undefined means the entity is off. */
    readonly operators: readonly (MaskOperator | undefined)[],
    /** HMAC-SHA-256 under the profile key for `hash` / `fake`, undefined when the profile uses neither. */
    readonly hmac: HmacSha256 | undefined,
    /** Detectors run on free text, in no particular order (spans are resolved by priority). */
    readonly textDetectors: readonly Detector[],
    /** Detectors run on digits-only values (computed numeric columns, JSON numbers). */
    readonly numberDetectors: readonly Detector[],
    private readonly hintMatchers: readonly HintMatcher[],
    private readonly ruleMatchers: readonly HintMatcher[],
    private readonly identifierPattern: RegExp | undefined,
  ) {
    this.scanner = new TextScanner(textDetectors, numberDetectors);
  }

  /** Number of entity slots (built-in and custom). */
  get slotCount(): number {
    return this.entityNames.length;
  }

  /** The slot of an entity name, or -1. */
  slotOf(entity: string): number {
    return this.entityNames.indexOf(entity);
  }

  /**
   * What a column says about its values, from its source column (`table.column` when traceable)
   * and its own output name. A custom rule's `columns` win over built-in hints; the source name
   * wins over the alias.
   */
  hintForColumn(name: string, tableName?: string, columnName?: string): NameHint {
    const key = `${tableName ?? ''}\u0000${columnName ?? '\u0001'}\u0000${name}`;
    const cached = this.columnHints.get(key);
    if (cached !== undefined) return cached;
    const hint = this.resolveColumnHint(name, tableName, columnName);
    if (this.columnHints.size < COLUMN_CACHE_LIMIT) this.columnHints.set(key, hint);
    return hint;
  }

  private resolveColumnHint(name: string, tableName?: string, columnName?: string): NameHint {
    const candidates: string[] = [];
    const table = tableName === undefined ? undefined : normalizeColumnName(tableName);
    for (const raw of columnName === undefined ? [name] : [columnName, name]) {
      const normalized = normalizeColumnName(raw);
      if (table !== undefined) candidates.push(`${table}.${normalized}`);
      candidates.push(normalized);
      const bare = withoutOrdinal(normalized);
      if (bare !== undefined) candidates.push(bare);
    }
    for (const matchers of [this.ruleMatchers, this.hintMatchers]) {
      for (const candidate of candidates) {
        for (const m of matchers) {
          if (m.pattern.test(candidate))
            return { slot: m.slot, identifier: false, fromRule: matchers === this.ruleMatchers };
        }
      }
    }
    const identifier =
      this.identifierPattern !== undefined && candidates.some((c) => this.identifierPattern!.test(c));
    return identifier ? IDENTIFIER_HINT : NO_HINT;
  }

  /** The entity slot a JSON object key says its value holds, or -1 (cached per key). */
  hintForKey(key: string): number {
    const cached = this.keyHints.get(key);
    if (cached !== undefined) return cached;
    const slot = key.length <= 64 ? this.resolveColumnHint(key).slot : -1;
    // Only identifier-shaped keys are cached (no spaces, `@`, `+` or dots), so the keys kept in
    // memory are schema names, not emails or phone numbers used as keys.
    if (this.keyHints.size < KEY_CACHE_LIMIT && IDENTIFIER_KEY.test(key)) this.keyHints.set(key, slot);
    return slot;
  }
}

function fail(profileName: string, path: string, problem: string): never {
  throw new ConfigError(
    `masking profile "${profileName}": ${path} ${problem}`,
    `profiles.${profileName}.${path}`,
  );
}

/**
 * Validates a profile and compiles it once: operators per entity, detectors with their
 * precompiled regexes, column-hint matchers, custom rules and the HMAC key. Throws ConfigError
 * (naming the offending field) for anything invalid; never at masking time.
 */
export function compileProfile(profile: MaskingProfile): CompiledProfile {
  const name = typeof profile.name === 'string' && profile.name.length > 0 ? profile.name : '?';
  if (name === '?') fail(name, 'name', 'must be a non-empty string');

  const region = profile.defaultRegion ?? 'US';
  if (!isSupportedCountry(region))
    fail(name, 'defaultRegion', `"${region}" is not a supported ISO 3166 country code`);

  const entityNames: string[] = [...PII_ENTITIES];
  const operators: (MaskOperator | undefined)[] = new Array(BUILT_IN_SLOTS).fill(undefined);
  const customEntities = new Set((profile.customRules ?? []).map((r) => r.entity));
  for (const [entity, operator] of Object.entries(profile.entities ?? {})) {
    if (!isPiiEntity(entity) && !customEntities.has(entity))
      fail(name, `entities.${entity}`, 'is not a known entity');
    if (!isMaskOperator(operator))
      fail(name, `entities.${entity}`, `has unknown operator "${String(operator)}"`);
    if (isPiiEntity(entity)) operators[EntitySlot[entity]] = operator;
  }

  const textDetectors: Detector[] = [];
  const numberDetectors: Detector[] = [];
  const on = (entity: PiiEntity): boolean => operators[EntitySlot[entity]] !== undefined;
  if (on(PiiEntity.Card)) {
    const card = createPaymentCardDetector(EntitySlot.card);
    textDetectors.push(card);
    numberDetectors.push(card);
  }
  if (on(PiiEntity.Ssn)) textDetectors.push(createUsSsnDetector(EntitySlot.ssn));
  if (on(PiiEntity.Email)) textDetectors.push(createEmailDetector(EntitySlot.email));
  if (on(PiiEntity.Phone)) textDetectors.push(createPhoneDetector(EntitySlot.phone, region));
  if (on(PiiEntity.Iban)) textDetectors.push(createIbanDetector(EntitySlot.iban));
  if (on(PiiEntity.Ipv4)) textDetectors.push(createIpv4Detector(EntitySlot.ipv4));
  if (on(PiiEntity.Ipv6)) textDetectors.push(createIpv6Detector(EntitySlot.ipv6));
  if (on(PiiEntity.Secret)) {
    textDetectors.push(
      createPrivateKeyDetector(EntitySlot.secret),
      createJwtDetector(EntitySlot.secret),
      createVendorSecretDetector(EntitySlot.secret),
      createHighEntropySecretDetector(EntitySlot.secret),
    );
  }
  if (on(PiiEntity.Name)) textDetectors.push(createHintedValueDetector(EntitySlot.name, HintedKind.Name));
  if (on(PiiEntity.Address))
    textDetectors.push(createHintedValueDetector(EntitySlot.address, HintedKind.Address));
  if (on(PiiEntity.Dob)) textDetectors.push(createHintedValueDetector(EntitySlot.dob, HintedKind.Dob));

  const ruleMatchers: HintMatcher[] = [];
  (profile.customRules ?? []).forEach((rule, i) => {
    const path = `customRules[${i}]`;
    if (typeof rule.entity !== 'string' || !(isPiiEntity(rule.entity) || CUSTOM_ENTITY.test(rule.entity))) {
      fail(name, `${path}.entity`, 'must be a built-in entity or match ^[a-z][a-z0-9_]{0,39}$');
    }
    if (rule.pattern === undefined && (rule.columns === undefined || rule.columns.length === 0)) {
      fail(name, path, 'needs a pattern, columns, or both');
    }
    if (rule.operator !== undefined && !isMaskOperator(rule.operator))
      fail(name, `${path}.operator`, 'is unknown');
    if (rule.validator !== undefined && !isValidator(rule.validator))
      fail(name, `${path}.validator`, 'is unknown');
    let slot = entityNames.indexOf(rule.entity);
    if (slot < 0) {
      slot = entityNames.length;
      entityNames.push(rule.entity);
      operators.push(undefined);
    }
    const operator =
      rule.operator ??
      (profile.entities as Record<string, MaskOperator | undefined>)[rule.entity] ??
      operators[slot];
    operators[slot] = operator ?? MaskOperator.Redact;
    if (rule.pattern !== undefined) {
      const flags = rule.flags ?? '';
      if (!/^[imsu]*$/.test(flags)) fail(name, `${path}.flags`, 'may only contain i, m, s, u');
      let pattern: RegExp;
      try {
        pattern = new RegExp(rule.pattern, `g${flags}`);
      } catch (cause) {
        throw new ConfigError(
          `masking profile "${name}": ${path}.pattern is not a valid regex`,
          `profiles.${name}.${path}.pattern`,
          { cause },
        );
      }
      const check = rule.validator === undefined ? undefined : validatorCheck(rule.validator, region);
      const detector = createCustomRuleDetector(slot, pattern, check);
      textDetectors.push(detector);
      numberDetectors.push(detector);
    }
    if (rule.columns !== undefined && rule.columns.length > 0) {
      ruleMatchers.push({ slot, pattern: columnPattern(name, `${path}.columns`, rule.columns) });
    }
  });

  const hintMatchers: HintMatcher[] = [];
  const builtIn = profile.builtInColumnHints !== false;
  for (const key of Object.keys(profile.columnHints ?? {})) {
    if (key !== 'identifier' && !isPiiEntity(key)) fail(name, `columnHints.${key}`, 'is not a known entity');
  }
  const patternsFor = (key: PiiEntity | 'identifier'): string[] => [
    ...(builtIn ? (BUILT_IN_COLUMN_HINTS[key] ?? []) : []),
    ...(profile.columnHints?.[key] ?? []),
  ];
  for (const entity of HINT_ORDER) {
    if (entity === 'identifier') continue;
    // IP column patterns serve both families: the value decides ipv4 or ipv6.
    if (entity === PiiEntity.Ipv4 ? !on(PiiEntity.Ipv4) && !on(PiiEntity.Ipv6) : !on(entity)) continue;
    const patterns = patternsFor(entity);
    if (patterns.length > 0)
      hintMatchers.push({
        slot: EntitySlot[entity],
        pattern: columnPattern(name, `columnHints.${entity}`, patterns),
      });
  }
  const identifierPatterns = patternsFor('identifier');
  const identifierPattern =
    identifierPatterns.length > 0
      ? columnPattern(name, 'columnHints.identifier', identifierPatterns)
      : undefined;

  let hmac: HmacSha256 | undefined;
  if (operators.some((op) => op === MaskOperator.Hash || op === MaskOperator.Fake)) {
    if (typeof profile.hashKey !== 'string' || profile.hashKey.length < 16) {
      fail(name, 'hashKey', 'must be a string of at least 16 characters when hash or fake is used');
    }
    hmac = new HmacSha256(Buffer.from(profile.hashKey, 'utf8'));
  }

  return new CompiledProfile(
    name,
    region,
    Object.freeze(entityNames),
    Object.freeze(entityNames.map((e) => `[REDACTED:${e}]`)),
    Object.freeze(operators),
    hmac,
    Object.freeze(textDetectors),
    Object.freeze(numberDetectors),
    Object.freeze(hintMatchers),
    Object.freeze(ruleMatchers),
    identifierPattern,
  );
}

function columnPattern(profileName: string, path: string, patterns: readonly string[]): RegExp {
  try {
    return compileColumnPatterns(patterns)!;
  } catch (cause) {
    throw new ConfigError(
      `masking profile "${profileName}": ${path} has an invalid pattern`,
      `profiles.${profileName}.${path}`,
      { cause },
    );
  }
}
