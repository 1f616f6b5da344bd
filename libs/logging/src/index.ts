export { createLogger, redactedPaths, type LoggerOptions } from './create-logger.ts';
export type { Logger } from 'pino';
