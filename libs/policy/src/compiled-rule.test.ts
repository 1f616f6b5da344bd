import { describe, expect, it } from 'vitest';
import { loadPolicy } from './load-policy.ts';
import { makeRequest, policyYaml, type RequestOverrides } from './policy-request.fixture.ts';

/** A predicate telling whether a one-rule allow policy with `match` allows a request. */
function matcher(match: string): (overrides?: RequestOverrides) => boolean {
  const policy = loadPolicy(policyYaml([`id: r, effect: allow, match: ${match}`]));
  return (overrides = {}) => policy.evaluate(makeRequest(overrides)).rule === 'r';
}

const at = (iso: string): RequestOverrides => ({ context: { time: new Date(iso) } });

describe('rule matchers - identity', () => {
  it('groups - hold when the actor is in any listed group', () => {
    const matches = matcher('{ groups: [pipelines, builders] }');
    expect(matches({ actor: { groups: ['builders'] } })).toBe(true);
    expect(matches({ actor: { groups: ['x', 'pipelines'] } })).toBe(true);
    expect(matches({ actor: { groups: ['pipeline'] } })).toBe(false);
    expect(matches({ actor: { groups: [] } })).toBe(false);
  });

  it('subjects - hold for an exact subject only', () => {
    const matches = matcher('{ subjects: [alice] }');
    expect(matches({ actor: { sub: 'alice' } })).toBe(true);
    expect(matches({ actor: { sub: 'Alice' } })).toBe(false);
    expect(matches({ actor: { sub: 'alice2' } })).toBe(false);
  });

  it('issuers - hold for an exact issuer only', () => {
    const matches = matcher("{ issuers: ['https://issuer.test'] }");
    expect(matches()).toBe(true);
    expect(matches({ actor: { issuer: 'https://issuer.test/' } })).toBe(false);
  });

  it('identity fields - must all hold together', () => {
    const matches = matcher("{ subjects: [ci-bot], groups: [pipelines], issuers: ['https://issuer.test'] }");
    expect(matches()).toBe(true);
    expect(matches({ actor: { groups: ['builders'] } })).toBe(false);
    expect(matches({ actor: { sub: 'other' } })).toBe(false);
  });
});

describe('rule matchers - target', () => {
  it('target names - match exactly or by glob, case-sensitively', () => {
    const matches = matcher("{ targets: { names: [demo, 'prod-*', 'db?'] } }");
    expect(matches()).toBe(true);
    expect(matches({ target: { name: 'prod-eu' } })).toBe(true);
    expect(matches({ target: { name: 'db1' } })).toBe(true);
    expect(matches({ target: { name: 'db12' } })).toBe(false);
    expect(matches({ target: { name: 'Demo' } })).toBe(false);
    expect(matches({ target: { name: 'demo2' } })).toBe(false);
  });

  it('target kinds - match the target kind', () => {
    const matches = matcher('{ targets: { kinds: [ssh] } }');
    expect(matches({ target: { kind: 'ssh' } })).toBe(true);
    expect(matches()).toBe(false);
  });

  it('target labels - every listed label must be present with the same value', () => {
    const matches = matcher('{ targets: { labels: { env: prod, team: data } } }');
    expect(matches({ target: { labels: { env: 'prod', team: 'data', extra: 'x' } } })).toBe(true);
    expect(matches({ target: { labels: { env: 'prod' } } })).toBe(false);
    expect(matches({ target: { labels: { env: 'dev', team: 'data' } } })).toBe(false);
    expect(matches()).toBe(false);
  });
});

describe('rule matchers - operation', () => {
  it('languages - match the operation language', () => {
    const matches = matcher('{ operation: { languages: [shell] } }');
    expect(matches({ language: 'shell' })).toBe(true);
    expect(matches()).toBe(false);
  });

  it('riskClasses - match the operation risk class', () => {
    const matches = matcher('{ operation: { riskClasses: [write, admin] } }');
    expect(matches({ facts: { riskClass: 'admin' } })).toBe(true);
    expect(matches({ facts: { riskClass: 'read' } })).toBe(false);
    expect(matches({ facts: { riskClass: 'destructive' } })).toBe(false);
  });

  it('kinds - a list holds when any reported kind is listed', () => {
    const matches = matcher('{ operation: { kinds: [delete, truncate] } }');
    expect(matches({ facts: { kinds: ['select', 'delete'] } })).toBe(true);
    expect(matches({ facts: { kinds: ['select'] } })).toBe(false);
    expect(matches({ facts: { kinds: [] } })).toBe(false);
  });

  it('kinds - only holds when every reported kind is listed', () => {
    const matches = matcher('{ operation: { kinds: { only: [select, show] } } }');
    expect(matches({ facts: { kinds: ['select', 'show'] } })).toBe(true);
    expect(matches({ facts: { kinds: ['select', 'delete'] } })).toBe(false);
    expect(matches({ facts: { kinds: [] } })).toBe(true);
  });

  it('flags - any and none must both hold', () => {
    const matches = matcher(
      '{ operation: { flags: { any: [row_lock, long_running], none: [write_without_where] } } }',
    );
    expect(matches({ facts: { riskFlags: ['row_lock'] } })).toBe(true);
    expect(matches({ facts: { riskFlags: ['long_running', 'multi_statement'] } })).toBe(true);
    expect(matches({ facts: { riskFlags: ['row_lock', 'write_without_where'] } })).toBe(false);
    expect(matches({ facts: { riskFlags: [] } })).toBe(false);
  });

  it('flags - none alone holds when no listed flag is present, including no flags at all', () => {
    const matches = matcher('{ operation: { flags: { none: [multi_statement] } } }');
    expect(matches({ facts: { riskFlags: [] } })).toBe(true);
    expect(matches({ facts: { riskFlags: ['row_lock'] } })).toBe(true);
    expect(matches({ facts: { riskFlags: ['multi_statement'] } })).toBe(false);
  });

  it('relations read - globs match any relation read, ignoring case, with * spanning dots', () => {
    const matches = matcher(
      "{ operation: { relations: { read: ['public.customers', 'orders*', '*.secrets'] } } }",
    );
    expect(matches({ facts: { relationsRead: ['public.customers'] } })).toBe(true);
    expect(matches({ facts: { relationsRead: ['Public.Customers'] } })).toBe(true);
    expect(matches({ facts: { relationsRead: ['x', 'orders_2024'] } })).toBe(true);
    expect(matches({ facts: { relationsRead: ['vault.secrets'] } })).toBe(true);
    expect(matches({ facts: { relationsRead: ['customers'] } })).toBe(false);
    expect(matches({ facts: { relationsRead: ['public.orders'] } })).toBe(false);
    expect(matches({ facts: { relationsRead: [] } })).toBe(false);
  });

  it('relations - regex characters in a pattern are literal', () => {
    const matches = matcher("{ operation: { relations: { read: ['a.b*', 'x(1)+?'] } } }");
    expect(matches({ facts: { relationsRead: ['a.bc'] } })).toBe(true);
    expect(matches({ facts: { relationsRead: ['axbc'] } })).toBe(false);
    expect(matches({ facts: { relationsRead: ['x(1)+z'] } })).toBe(true);
    expect(matches({ facts: { relationsRead: ['x11'] } })).toBe(false);
  });

  it('relations written - only and none constrain every written relation', () => {
    const only = matcher("{ operation: { relations: { written: { only: ['staging.*'] } } } }");
    expect(only({ facts: { relationsWritten: ['staging.a', 'staging.b'] } })).toBe(true);
    expect(only({ facts: { relationsWritten: ['staging.a', 'public.customers'] } })).toBe(false);
    const none = matcher("{ operation: { relations: { written: { none: ['audit.*'] } } } }");
    expect(none({ facts: { relationsWritten: ['public.customers'] } })).toBe(true);
    expect(none({ facts: { relationsWritten: ['public.customers', 'audit.log'] } })).toBe(false);
  });

  it('relations - read and written are checked against their own lists', () => {
    const matches = matcher('{ operation: { relations: { written: [customers] } } }');
    expect(matches({ facts: { relationsRead: ['customers'], relationsWritten: [] } })).toBe(false);
    expect(matches({ facts: { relationsWritten: ['customers'] } })).toBe(true);
  });

  it('functions - globs match any function called, ignoring case', () => {
    const matches = matcher("{ operation: { functions: [pg_sleep, 'pg_terminate_*'] } }");
    expect(matches({ facts: { functions: ['count', 'pg_sleep'] } })).toBe(true);
    expect(matches({ facts: { functions: ['PG_TERMINATE_BACKEND'] } })).toBe(true);
    expect(matches({ facts: { functions: ['pg_sleep_for'] } })).toBe(false);
    expect(matches({ facts: { functions: [] } })).toBe(false);
  });

  it('operation fields - must all hold together', () => {
    const matches = matcher(
      '{ operation: { languages: [sql], riskClasses: [read], kinds: [select], relations: { read: [customers] } } }',
    );
    expect(matches()).toBe(true);
    expect(matches({ facts: { relationsRead: ['orders'] } })).toBe(false);
    expect(matches({ language: 'shell' })).toBe(false);
  });

  it('an empty match holds for every request', () => {
    const matches = matcher('{}');
    expect(matches({ actor: { sub: 'x', groups: [] }, target: { name: 'other', kind: 'ssh' } })).toBe(true);
  });
});

describe('rule matchers - time', () => {
  it('time between - holds from start (inclusive) to end (exclusive) in UTC by default', () => {
    const matches = matcher("{ time: { between: ['08:00', '18:00'] } }");
    expect(matches(at('2025-01-15T08:00:00Z'))).toBe(true);
    expect(matches(at('2025-01-15T17:59:59Z'))).toBe(true);
    expect(matches(at('2025-01-15T18:00:00Z'))).toBe(false);
    expect(matches(at('2025-01-15T07:59:59Z'))).toBe(false);
  });

  it('time between - a start after the end spans midnight', () => {
    const matches = matcher("{ time: { between: ['22:00', '06:00'] } }");
    expect(matches(at('2025-01-15T23:30:00Z'))).toBe(true);
    expect(matches(at('2025-01-15T05:59:00Z'))).toBe(true);
    expect(matches(at('2025-01-15T06:00:00Z'))).toBe(false);
    expect(matches(at('2025-01-15T12:00:00Z'))).toBe(false);
  });

  it('time between - an end of 24:00 runs to midnight', () => {
    const matches = matcher("{ time: { between: ['20:00', '24:00'] } }");
    expect(matches(at('2025-01-15T23:59:00Z'))).toBe(true);
    expect(matches(at('2025-01-15T00:00:00Z'))).toBe(false);
  });

  it('time days - hold on the listed days of the week', () => {
    const matches = matcher('{ time: { days: [mon, tue, wed, thu, fri] } }');
    expect(matches(at('2025-01-17T23:59:00Z'))).toBe(true); // Friday
    expect(matches(at('2025-01-18T00:00:00Z'))).toBe(false); // Saturday
    expect(matches(at('2025-01-19T12:00:00Z'))).toBe(false); // Sunday
    expect(matches(at('2025-01-20T00:00:00Z'))).toBe(true); // Monday
  });

  it('time timezone - days and hours are local to the zone', () => {
    const matches = matcher(
      "{ time: { days: [mon], between: ['09:00', '17:00'], timezone: America/New_York } }",
    );
    // 13:30 UTC on Monday 2025-01-20 is 08:30 in New York (EST, UTC-5).
    expect(matches(at('2025-01-20T13:30:00Z'))).toBe(false);
    expect(matches(at('2025-01-20T14:00:00Z'))).toBe(true);
    // Monday 16:30 in New York is already Tuesday in UTC.
    expect(matches(at('2025-01-21T21:30:00Z'))).toBe(false);
    expect(matches(at('2025-01-20T21:30:00Z'))).toBe(true);
    // In July (EDT, UTC-4) 09:00 local is 13:00 UTC.
    expect(matches(at('2025-07-21T13:00:00Z'))).toBe(true);
  });

  it('time timezone - a zone east of UTC moves the local day forward', () => {
    const matches = matcher('{ time: { days: [sat], timezone: Asia/Tokyo } }');
    // Friday 2025-01-17 16:00 UTC is Saturday 01:00 in Tokyo.
    expect(matches(at('2025-01-17T16:00:00Z'))).toBe(true);
    expect(matches(at('2025-01-17T14:00:00Z'))).toBe(false);
  });
});

describe('rule matchers - session', () => {
  it('session tls - true requires TLS and false requires plaintext', () => {
    const tls = matcher('{ session: { tls: true } }');
    expect(tls()).toBe(true);
    expect(tls({ context: { tls: false } })).toBe(false);
    const plain = matcher('{ session: { tls: false } }');
    expect(plain({ context: { tls: false } })).toBe(true);
    expect(plain()).toBe(false);
  });

  it('session clientCidrs - IPv4 networks, including IPv4-mapped IPv6 addresses', () => {
    const matches = matcher("{ session: { clientCidrs: ['10.0.0.0/8', '192.0.2.7/32'] } }");
    expect(matches({ context: { clientAddress: '10.255.0.1' } })).toBe(true);
    expect(matches({ context: { clientAddress: '192.0.2.7' } })).toBe(true);
    expect(matches({ context: { clientAddress: '::ffff:10.1.2.3' } })).toBe(true);
    expect(matches({ context: { clientAddress: '11.0.0.1' } })).toBe(false);
    expect(matches({ context: { clientAddress: '192.0.2.8' } })).toBe(false);
    expect(matches({ context: { clientAddress: 'not-an-ip' } })).toBe(false);
  });

  it('session clientCidrs - IPv6 networks, in any textual form, with or without a zone id', () => {
    const matches = matcher("{ session: { clientCidrs: ['::1/128', '2001:db8::/32', 'fe80::/10'] } }");
    expect(matches({ context: { clientAddress: '::1' } })).toBe(true);
    expect(matches({ context: { clientAddress: '0:0:0:0:0:0:0:1' } })).toBe(true);
    expect(matches({ context: { clientAddress: '2001:db8:ffff::42' } })).toBe(true);
    expect(matches({ context: { clientAddress: 'fe80::1%eth0' } })).toBe(true);
    expect(matches({ context: { clientAddress: '2001:db9::1' } })).toBe(false);
    expect(matches({ context: { clientAddress: '127.0.0.1' } })).toBe(false);
  });
});
