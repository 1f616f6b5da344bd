// @gatehouse/targets: the targets file (TARGETS_FILE) every component that reaches an upstream
// reads the same way: the edges to log in, masking to read the target's catalog.
export { TargetTlsMode, type PostgresTarget } from './postgres-target.ts';
export { TargetRegistry, type TargetsSource } from './target-registry.ts';
