export { dockerEngineAvailable } from './container-runtime.ts';
export { startTestNats, uniquePrefix, type TestNats } from './test-nats.ts';
export { startTestPostgres, type TestPostgres } from './test-postgres.ts';
