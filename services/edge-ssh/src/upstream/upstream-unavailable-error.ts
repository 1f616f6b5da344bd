import { DependencyUnavailableError } from '@gatehouse/errors';

/** The target could not be reached or refused the edge; `detail` says why, for operators only. */
export class UpstreamUnavailableError extends DependencyUnavailableError {
  constructor(
    message: string,
    /** What went wrong, with addresses; logged, never shown to the client. */
    readonly detail: string,
    cause?: unknown,
  ) {
    super(message, 'target', cause === undefined ? undefined : { cause });
  }
}
