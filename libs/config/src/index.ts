export { commonFields, identityFields } from './common-fields.ts';
export { env, parseDurationMs, type ConfigField } from './config-field.ts';
export { loadConfig, type ConfigOf, type ConfigSources, type ConfigSpec } from './load-config.ts';
