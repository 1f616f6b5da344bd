/**
 * Base of every typed Gatehouse failure. Each concrete failure has its own class so that an edge
 * can map it to its wire protocol (SQLSTATE, SSH exit status) without string matching.
 */
export abstract class GatehouseError extends Error {
  /** Stable machine-readable code, also used in evidence and logs. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
