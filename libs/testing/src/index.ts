export { dockerEngineAvailable } from './container-runtime.ts';
export { collectEvidence, type EvidenceCollector } from './evidence-collector.ts';
export { freePort } from './free-port.ts';
export { startTestNats, uniquePrefix, type TestNats } from './test-nats.ts';
export { startTestPostgres, type TestPostgres } from './test-postgres.ts';
export { startTestSshd, type TestSshd } from './test-sshd.ts';
