import { GatehouseError } from '@gatehouse/errors';

/** The ledger API could not be reached, refused the request, or answered something unexpected. */
export class LedgerApiError extends GatehouseError {
  readonly code = 'ledger_api';
  constructor(
    message: string,
    /** HTTP status, when the API answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A saved verifier state file is not in the expected format. */
export class MalformedVerifierStateError extends GatehouseError {
  readonly code = 'malformed_verifier_state';
}
