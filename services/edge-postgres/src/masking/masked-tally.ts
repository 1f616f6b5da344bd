import type { MaskCount } from './masking-backend.ts';

/** What masking did to one sync point's results, as the result evidence records it. */
export interface MaskedEvidence {
  /** The profile the results were masked with. */
  readonly profile: string;
  /** Values masked in total. */
  readonly total: number;
  /** Values masked per entity. */
  readonly byEntity: Readonly<Record<string, number>>;
  /** Values masked per column (position and name) and entity; never the values. */
  readonly byColumn: readonly { index: number; column: string; byEntity: Readonly<Record<string, number>> }[];
  /** Values masked in the text of errors, notices and notifications, per entity (absent when none). */
  readonly inMessages?: Readonly<Record<string, number>>;
}

/** Adds up the counts masking returned for the batches of one sync point. */
export class MaskedTally {
  #total = 0;
  readonly #byEntity = new Map<string, number>();
  readonly #byColumn = new Map<number, { column: string; byEntity: Map<string, number> }>();
  readonly #inMessages = new Map<string, number>();

  constructor(readonly profile: string) {}

  /** Adds one batch's counts. */
  add(counts: readonly MaskCount[]): void {
    for (const { entity, column, index, count } of counts) {
      this.#total += count;
      this.#byEntity.set(entity, (this.#byEntity.get(entity) ?? 0) + count);
      // Counts without a column position come from message text (the `lines` request).
      if (index === undefined) {
        this.#inMessages.set(entity, (this.#inMessages.get(entity) ?? 0) + count);
        continue;
      }
      let entry = this.#byColumn.get(index);
      if (entry === undefined) this.#byColumn.set(index, (entry = { column, byEntity: new Map() }));
      entry.byEntity.set(entity, (entry.byEntity.get(entity) ?? 0) + count);
    }
  }

  /** The evidence form. */
  toEvidence(): MaskedEvidence {
    return {
      profile: this.profile,
      total: this.#total,
      byEntity: Object.fromEntries(this.#byEntity),
      byColumn: [...this.#byColumn]
        .sort(([a], [b]) => a - b)
        .map(([index, { column, byEntity }]) => ({ index, column, byEntity: Object.fromEntries(byEntity) })),
      ...(this.#inMessages.size === 0 ? {} : { inMessages: Object.fromEntries(this.#inMessages) }),
    };
  }
}
