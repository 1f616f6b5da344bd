import { ProtocolViolationError } from '@gatehouse/errors';

/**
 * The client asked for a protocol major version the edge does not speak (only 3 exists today).
 * PostgreSQL answers this with SQLSTATE 0A000 rather than 08P01, so `errorResponseFor` maps it
 * apart from other protocol violations.
 */
export class UnsupportedProtocolVersionError extends ProtocolViolationError {
  constructor(
    message: string,
    /** The major version the client requested. */
    readonly requestedMajor: number,
    /** The minor version the client requested. */
    readonly requestedMinor: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
