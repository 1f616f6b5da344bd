import { DependencyUnavailableError, MessageTooLargeError, PolicyDeniedError } from '@gatehouse/errors';

/**
 * Exit statuses the edge gives a channel when it, not the target, ends a command. Anything else
 * a client sees is the target command's own status, forwarded unchanged.
 */
export const ExitStatus = {
  /**
   * Interactive requests (shell, subsystem) refused, and commands whose output had to be stopped
   * because masking or evidence could not answer (the command had started).
   */
  Refused: 1,
  /** Policy denied the command, its approval was rejected or expired, or it exceeds the size cap: it never ran. Shells use 126 for "found but cannot execute". */
  Denied: 126,
  /** Gatehouse could not decide or record (authz, approval, JetStream or the target unavailable): it never ran. `ssh` itself exits 255 for its own errors. */
  Unavailable: 255,
} as const;

/** One of {@link ExitStatus}. */
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

/** What the client is told: one stderr line and an exit status. */
export interface Refusal {
  line: string;
  status: ExitStatus;
}

/** Maps a failure before the command ran to the client's stderr line and exit status. */
export function refusalFor(error: unknown): Refusal {
  if (error instanceof PolicyDeniedError) {
    return { line: `gatehouse: denied: ${error.message}\n`, status: ExitStatus.Denied };
  }
  if (error instanceof MessageTooLargeError) {
    return { line: `gatehouse: refused: ${error.message}\n`, status: ExitStatus.Denied };
  }
  if (error instanceof DependencyUnavailableError) {
    return {
      line: `gatehouse: unavailable: ${error.message}; the command did not run\n`,
      status: ExitStatus.Unavailable,
    };
  }
  return {
    line: 'gatehouse: unavailable: internal error; the command did not run\n',
    status: ExitStatus.Unavailable,
  };
}

/** The client's message when the output of a running command had to be stopped. */
export function outputStopped(error: unknown): Refusal {
  const why = error instanceof DependencyUnavailableError ? error.message : 'internal error';
  return {
    line: `\ngatehouse: output stopped: ${why}; nothing more is sent unmasked or unrecorded\n`,
    status: ExitStatus.Refused,
  };
}

/** The client's message for a request the edge does not serve (interactive shell, subsystem). */
export function unsupportedRequest(what: string): Refusal {
  return {
    line: `gatehouse: refused: ${what} is not available through Gatehouse, which decides every command on its own; run commands as \`ssh <target>@<edge> <command>\`\n`,
    status: ExitStatus.Refused,
  };
}
