import type { Validator } from '../detectors/validator.ts';
import type { MaskOperator } from '../mask-operator.ts';
import type { PiiEntity } from '../pii-entity.ts';

/**
 * Column-name patterns per entity. A pattern is matched against the normalised column name
 * (lower case, camelCase and punctuation turned into `_`, e.g. `billingEmail` → `billing_email`);
 * `*` matches any run of `[a-z0-9_]`; a pattern with a dot (`customers.name`) is matched against
 * `table.column`. The key `identifier` lists columns that hold identifiers or versions, where
 * weak shapes (a bare digit run as a phone, `1.2.3.4` as an IPv4) are not reported.
 * Patterns for `ipv4` match IP columns of either family (the value decides ipv4/ipv6).
 */
export type ColumnHints = Readonly<Partial<Record<PiiEntity | 'identifier', readonly string[]>>>;

/** A profile's own detection rule. */
export interface CustomRule {
  /**
   * Entity the rule reports: a built-in name (adds a pattern to that entity, masked with its
   * operator) or a new name matching `^[a-z][a-z0-9_]{0,39}$` (e.g. `employee_id`).
   */
  readonly entity: string;
  /** Regular expression source searched in scanned content (the `g` flag is added). */
  readonly pattern?: string;
  /** Extra regex flags: any of `i`, `m`, `s`, `u`. */
  readonly flags?: string;
  /** Built-in validator every match must pass (e.g. `luhn` for an internal card format). */
  readonly validator?: Validator;
  /**
   * Column-name patterns (same syntax as {@link ColumnHints}): cells of matching columns are
   * masked whole as this entity, whatever the column's type.
   */
  readonly columns?: readonly string[];
  /** Operator for this rule's entity; defaults to `entities[entity]`, then `redact`. */
  readonly operator?: MaskOperator;
}

/**
 * A masking profile: plain data named by the policy (`default`, `strict`, ...). Entities missing
 * from `entities` are neither detected nor masked.
 */
export interface MaskingProfile {
  /** Profile name, as the policy refers to it. */
  readonly name: string;
  /** Operator per entity; an entity that is absent is off. */
  readonly entities: Readonly<Partial<Record<PiiEntity, MaskOperator>>>;
  /** Extra column-name patterns, added to the built-in ones. */
  readonly columnHints?: ColumnHints;
  /** Set false to use only `columnHints` and not the built-in column-name patterns. */
  readonly builtInColumnHints?: boolean;
  /** The profile's own rules. */
  readonly customRules?: readonly CustomRule[];
  /**
   * Key for the `hash` and `fake` operators (HMAC-SHA-256), at least 16 characters; required when
   * any entity uses them. Same key, same output: joins on hashed columns keep working.
   */
  readonly hashKey?: string;
  /** ISO 3166-1 alpha-2 country for phone numbers written without `+` (default `US`). */
  readonly defaultRegion?: string;
}
