import { pino, type DestinationStream, type Logger } from 'pino';

/** Paths pino blanks in every log line: credentials and anything that may hold unmasked data. */
export const redactedPaths = [
  'password',
  'token',
  'accessToken',
  'access_token',
  'authorization',
  'secret',
  'cells',
  'rows',
  'params',
  'parameters',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.authorization',
  '*.secret',
  '*.cells',
  '*.rows',
  '*.params',
  '*.parameters',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
] as const;

/** Options for the one logger a process builds. */
export interface LoggerOptions {
  /** Service name bound to every line. */
  service: string;
  /** pino level; `info` by default. */
  level?: string;
  /** Where lines go; stdout by default (tests pass a stream to read them). */
  destination?: DestinationStream;
}

/**
 * Builds the process logger: JSON lines, service bound, redaction compiled once here
 * (pino compiles redact paths at construction, keeping the hot path cheap).
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      redact: { paths: [...redactedPaths], censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
