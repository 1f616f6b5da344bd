import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@gatehouse/errors';
import { describe, expect, it } from 'vitest';
import { env, loadConfig } from './index.ts';

const spec = {
  port: env.port('EDGE_PORT', { default: 15432 }),
  natsUrl: env.url('NATS_URL', { protocols: ['nats:', 'tls:'], default: 'nats://127.0.0.1:4222' }),
  timeout: env.duration('DECIDE_TIMEOUT', { default: 2000 }),
  devMode: env.boolean('DEV_MODE', { default: false }),
  level: env.oneOf('LOG_LEVEL', ['debug', 'info', 'warn'] as const, { default: 'info' }),
  groups: env.list('GROUPS', { default: [] }),
  secret: env.optionalString('SECRET_FILE'),
};

describe('config', () => {
  it('config - applies defaults and returns a frozen object', () => {
    const config = loadConfig(spec, { env: {} });
    expect(config).toEqual({
      port: 15432,
      natsUrl: 'nats://127.0.0.1:4222',
      timeout: 2000,
      devMode: false,
      level: 'info',
      groups: [],
      secret: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('config - parses every kind of value from the environment', () => {
    const config = loadConfig(spec, {
      env: {
        EDGE_PORT: '5433',
        DECIDE_TIMEOUT: '10m',
        DEV_MODE: 'yes',
        LOG_LEVEL: 'debug',
        GROUPS: 'a, b,,c',
      },
    });
    expect(config.port).toBe(5433);
    expect(config.timeout).toBe(600_000);
    expect(config.devMode).toBe(true);
    expect(config.level).toBe('debug');
    expect(config.groups).toEqual(['a', 'b', 'c']);
  });

  it('config - a bad value stops loading with an error naming the variable', () => {
    expect(() => loadConfig(spec, { env: { EDGE_PORT: '70000' } })).toThrow(
      'EDGE_PORT must be at most 65535',
    );
    expect(() => loadConfig(spec, { env: { NATS_URL: 'http://x' } })).toThrow(
      'NATS_URL must use nats: or tls:',
    );
    expect(() => loadConfig(spec, { env: { DECIDE_TIMEOUT: 'soon' } })).toThrow(
      /DECIDE_TIMEOUT must be a duration/,
    );
    try {
      loadConfig(spec, { env: { DEV_MODE: 'maybe' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe('DEV_MODE');
    }
  });

  it('config - a required field without value is refused', () => {
    expect(() => loadConfig({ url: env.string('DATABASE_URL') }, { env: {} })).toThrow(
      'DATABASE_URL is required',
    );
  });

  it('config - reads a YAML file of VAR: value, with the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-config-'));
    const file = join(dir, 'gatehouse.yaml');
    writeFileSync(file, 'EDGE_PORT: 6000\nLOG_LEVEL: warn\n');
    const config = loadConfig(spec, { env: { GATEHOUSE_CONFIG_FILE: file, LOG_LEVEL: 'debug' } });
    expect(config.port).toBe(6000);
    expect(config.level).toBe('debug');
    writeFileSync(file, '- a list\n');
    expect(() => loadConfig(spec, { env: { GATEHOUSE_CONFIG_FILE: file } })).toThrow(/must hold a map/);
  });
});
