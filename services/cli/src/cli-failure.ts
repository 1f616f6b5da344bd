import { GatehouseError } from '@gatehouse/errors';

/** The command line itself is wrong; the CLI prints the command's synopsis and exits 2. */
export class UsageError extends GatehouseError {
  readonly code = 'usage';
}

/** The command was understood but could not do its job; the CLI prints the message and exits 1. */
export class CommandFailedError extends GatehouseError {
  readonly code = 'command_failed';
}
