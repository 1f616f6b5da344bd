/**
 * What a decision says, listed in precedence order: when several rules match, the effect later in
 * this list wins (deny beats review beats allow), so the list index is the effect's rank.
 */
export const Effect = ['allow', 'review', 'deny'] as const;

/** One of {@link Effect}. */
export type Effect = (typeof Effect)[number];

/** Precedence of an effect: higher wins. */
export function effectRank(effect: Effect): number {
  return Effect.indexOf(effect);
}
