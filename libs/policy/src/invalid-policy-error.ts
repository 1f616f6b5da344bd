import { GatehouseError } from '@gatehouse/errors';

/** A policy document (or a policy cases file) is not valid; `problems` lists every problem found. */
export class InvalidPolicyError extends GatehouseError {
  readonly code = 'invalid_policy';

  constructor(
    /** What was being read, e.g. `policy document`, `policy cases`. */
    readonly source: string,
    /** Each problem as `<JSON pointer>: <what is wrong>` (YAML syntax errors name line and column). */
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `invalid ${source} (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}): ${problems.join('; ')}`,
      options,
    );
  }
}
