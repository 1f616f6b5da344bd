/**
 * Risk classes of a shell command, ordered from least to most risky. The order is the list order:
 * a command line's class is the maximum over every simple command it runs, and `unknown` is the
 * riskiest because nothing about the effect could be established (a program the tables do not
 * know, a command word built at run time, remote execution, text that did not parse). SQL's
 * `admin` class has no shell counterpart and is not used here.
 */
export const ShellRiskClass = ['read', 'write', 'destructive', 'unknown'] as const;

/** One of {@link ShellRiskClass}. */
export type ShellRiskClass = (typeof ShellRiskClass)[number];

const RANK: Readonly<Record<ShellRiskClass, number>> = { read: 0, write: 1, destructive: 2, unknown: 3 };

/** True when `value` is one of the {@link ShellRiskClass} names. */
export function isShellRiskClass(value: unknown): value is ShellRiskClass {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/** Orders risk classes: negative when `a` is less risky than `b`, 0 when equal, positive otherwise. */
export function compareShellRiskClass(a: ShellRiskClass, b: ShellRiskClass): number {
  return RANK[a] - RANK[b];
}

/** The riskier of two classes. */
export function maxShellRiskClass(a: ShellRiskClass, b: ShellRiskClass): ShellRiskClass {
  return RANK[a] >= RANK[b] ? a : b;
}
