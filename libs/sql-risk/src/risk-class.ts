/**
 * Risk classes, ordered from least to most risky. The order is the list order: a statement's class
 * is the maximum over everything it does, and `unknown` is the riskiest because nothing about its
 * effect could be established.
 */
export const RiskClass = ['read', 'write', 'admin', 'destructive', 'unknown'] as const;

/** One of {@link RiskClass}. */
export type RiskClass = (typeof RiskClass)[number];

const RANK: Readonly<Record<RiskClass, number>> = {
  read: 0,
  write: 1,
  admin: 2,
  destructive: 3,
  unknown: 4,
};

/** True when `value` is one of the {@link RiskClass} names. */
export function isRiskClass(value: unknown): value is RiskClass {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/** Orders risk classes: negative when `a` is less risky than `b`, 0 when equal, positive otherwise. */
export function compareRiskClass(a: RiskClass, b: RiskClass): number {
  return RANK[a] - RANK[b];
}

/** The riskier of two classes. */
export function maxRiskClass(a: RiskClass, b: RiskClass): RiskClass {
  return RANK[a] >= RANK[b] ? a : b;
}
