import { DependencyUnavailableError } from '@gatehouse/errors';
import { SqlState, Severity, type Diagnostic } from '@gatehouse/pg-wire';

/** Why masking refused a result (the masking service's error codes, plus the edge's own). */
export const MaskingRefusalCode = {
  /** The result cannot be masked as sent (binary column without rewriter, binary COPY, ...). */
  Unmaskable: 'unmaskable',
  /** The edge cannot tell which columns the rows have (no RowDescription for them). */
  NoDescription: 'no_description',
  /** The masking service answered with another error (unknown profile, catalog, ...). */
  ServiceError: 'service_error',
} as const;

/** One of {@link MaskingRefusalCode}. */
export type MaskingRefusalCode = (typeof MaskingRefusalCode)[keyof typeof MaskingRefusalCode];

/**
 * What a refused result leaves behind, said plainly: rows of it that already left were masked,
 * and the upstream went on with the request (a refusal happens at the edge, not in the database).
 */
const WITHHELD =
  'No unmasked value was sent: rows of this result already sent were masked, its other rows and ' +
  'every later result of the same request were withheld. Later statements of the request were ' +
  'still sent to the server and may have run.';

/** A result masking will not let through; the statement fails with it, and no unmasked row of it is sent. */
export class MaskingRefusal extends Error {
  override readonly name = 'MaskingRefusal';
  constructor(
    readonly code: MaskingRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The ErrorResponse a client sees for a result that was not masked. A refusal of the result's
 * shape is 0A000 (feature_not_supported: the client can ask differently, e.g. in text format);
 * a masking service that is down, slow or failing is 58000 (system_error, retry later).
 */
export function maskingDiagnostic(error: unknown): Diagnostic {
  const base = { severity: Severity.Error, severityNonLocalized: Severity.Error };
  if (error instanceof MaskingRefusal) {
    const unmaskable = error.code !== MaskingRefusalCode.ServiceError;
    return {
      ...base,
      code: unmaskable ? SqlState.FeatureNotSupported : SqlState.SystemError,
      message: `Gatehouse refused this result: ${error.message}`,
      detail: WITHHELD,
      ...(unmaskable ? {} : { hint: 'Retry later.' }),
    };
  }
  const reason = error instanceof DependencyUnavailableError ? error.message : 'masking failed';
  return {
    ...base,
    code: SqlState.SystemError,
    message: `Gatehouse could not mask this result (${reason}); refused (fail closed)`,
    detail: WITHHELD,
    hint: 'Retry later.',
  };
}
