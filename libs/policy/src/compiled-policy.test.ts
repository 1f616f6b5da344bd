import { describe, expect, it } from 'vitest';
import { loadPolicy } from './load-policy.ts';
import { makeRequest, policyYaml } from './policy-request.fixture.ts';

const approval = 'approval: { groups: [approvers] }';

describe('evaluate - precedence', () => {
  it('evaluate - deny beats review beats allow whatever the document order', () => {
    const policy = loadPolicy(
      policyYaml([
        'id: a, effect: allow, match: {}',
        `id: r, effect: review, match: {}, ${approval}`,
        'id: d, effect: deny, match: {}',
      ]),
    );
    expect(policy.evaluate(makeRequest()).rule).toBe('d');
    const noDeny = loadPolicy(
      policyYaml(['id: a, effect: allow, match: {}', `id: r, effect: review, match: {}, ${approval}`]),
    );
    expect(noDeny.evaluate(makeRequest())).toMatchObject({ effect: 'review', rule: 'r' });
  });

  it('evaluate - among rules of one effect the first in document order wins', () => {
    const policy = loadPolicy(
      policyYaml([
        'id: other, effect: allow, match: { groups: [builders] }',
        'id: first, effect: allow, match: { groups: [pipelines] }, masking: strict',
        'id: second, effect: allow, match: {}, masking: default',
      ]),
    );
    expect(policy.evaluate(makeRequest())).toMatchObject({ rule: 'first', maskingProfile: 'strict' });
    expect(policy.evaluate(makeRequest({ actor: { groups: [] } }))).toMatchObject({
      rule: 'second',
      maskingProfile: 'default',
    });
  });

  it('evaluate - the first deny wins over a later deny', () => {
    const policy = loadPolicy(
      policyYaml([
        "id: d1, effect: deny, match: {}, reason: 'first'",
        "id: d2, effect: deny, match: {}, reason: 'second'",
      ]),
    );
    expect(policy.evaluate(makeRequest())).toMatchObject({ rule: 'd1', reason: 'first' });
  });

  it('evaluate - no matching rule is a deny by default-deny with the default TTL', () => {
    const policy = loadPolicy(
      policyYaml(['id: a, effect: allow, match: { groups: [builders] }'], 'defaults: { cacheTtl: 5s }'),
    );
    expect(policy.evaluate(makeRequest())).toEqual({
      effect: 'deny',
      rule: 'default-deny',
      reason: 'no policy rule allows this operation',
      policyVersion: policy.version,
      cacheTtlMs: 5000,
    });
    expect(loadPolicy(policyYaml([])).evaluate(makeRequest()).rule).toBe('default-deny');
  });
});

describe('evaluate - targets', () => {
  it('evaluate - decides correctly across many target names and kinds (per-target rule memo)', () => {
    const policy = loadPolicy(
      policyYaml([
        "id: db, effect: allow, match: { targets: { names: ['db-*'], kinds: [postgres] } }",
        "id: box, effect: allow, match: { targets: { names: ['db-*'], kinds: [ssh] } }",
      ]),
    );
    const rule = (name: string, kind: 'postgres' | 'ssh') =>
      policy.evaluate(makeRequest({ target: { name, kind } })).rule;
    // More names than the memo holds: it is cleared and refilled, answers stay the same.
    for (let i = 0; i < 1100; i++) expect(rule(`db-${i}`, 'postgres')).toBe('db');
    expect(rule('db-1', 'ssh')).toBe('box');
    expect(rule('web-1', 'postgres')).toBe('default-deny');
    expect(rule('db-1', 'postgres')).toBe('db');
  });
});

describe('evaluate - decisions', () => {
  it('evaluate - an allow carries the masking profile, reason and policy version', () => {
    const policy = loadPolicy(
      policyYaml(['id: a, effect: allow, match: {}, masking: default, reason: reads are fine']),
    );
    expect(policy.evaluate(makeRequest())).toEqual({
      effect: 'allow',
      rule: 'a',
      reason: 'reads are fine',
      policyVersion: policy.version,
      maskingProfile: 'default',
      cacheTtlMs: 60_000,
    });
  });

  it('evaluate - a rule without reason reports a generated one and no masking profile', () => {
    const decision = loadPolicy(policyYaml(['id: a, effect: allow, match: {}'])).evaluate(makeRequest());
    expect(decision.reason).toBe('allow by policy rule a');
    expect(decision).not.toHaveProperty('maskingProfile');
    expect(decision).not.toHaveProperty('approval');
  });

  it('evaluate - a review takes its approval requirement from the winning review rule', () => {
    const policy = loadPolicy(
      policyYaml(
        [
          'id: r1, effect: review, match: { groups: [pipelines] }, approval: { groups: [approvers, leads], quorum: 2, holdTimeout: 90s }',
          `id: r2, effect: review, match: {}, ${approval}`,
        ],
        'defaults: { holdTimeout: 5m }',
      ),
    );
    expect(policy.evaluate(makeRequest()).approval).toEqual({
      groups: ['approvers', 'leads'],
      quorum: 2,
      holdTimeoutSeconds: 90,
    });
    expect(policy.evaluate(makeRequest({ actor: { groups: [] } })).approval).toEqual({
      groups: ['approvers'],
      quorum: 1,
      holdTimeoutSeconds: 300,
    });
  });

  it('evaluate - hold timeout defaults to 10m and cache TTL to 60s without defaults', () => {
    const decision = loadPolicy(policyYaml([`id: r, effect: review, match: {}, ${approval}`])).evaluate(
      makeRequest(),
    );
    expect(decision.approval?.holdTimeoutSeconds).toBe(600);
    expect(decision.cacheTtlMs).toBe(60_000);
  });

  it('evaluate - returns frozen decisions', () => {
    const decision = loadPolicy(policyYaml([`id: r, effect: review, match: {}, ${approval}`])).evaluate(
      makeRequest(),
    );
    expect(Object.isFrozen(decision)).toBe(true);
    expect(Object.isFrozen(decision.approval)).toBe(true);
  });
});

describe('evaluate - cache TTL', () => {
  it('cacheTtl - a rule cacheTtl overrides the document default', () => {
    const policy = loadPolicy(
      policyYaml(
        [
          'id: a, effect: allow, match: { groups: [pipelines] }, cacheTtl: 250ms',
          'id: b, effect: allow, match: {}',
        ],
        'defaults: { cacheTtl: 2m }',
      ),
    );
    expect(policy.evaluate(makeRequest()).cacheTtlMs).toBe(250);
    expect(policy.evaluate(makeRequest({ actor: { groups: [] } })).cacheTtlMs).toBe(120_000);
  });

  it('cacheTtl - a rule may make its decisions uncacheable with 0s', () => {
    expect(
      loadPolicy(policyYaml(['id: a, effect: allow, match: {}, cacheTtl: 0s'])).evaluate(makeRequest())
        .cacheTtlMs,
    ).toBe(0);
  });

  it('cacheTtl - a decision that depended on the session (tls, client network) is not cached', () => {
    const policy = loadPolicy(
      policyYaml([
        "id: office, effect: allow, match: { session: { clientCidrs: ['10.0.0.0/8'] } }",
        'id: tls, effect: review, match: { session: { tls: false } }, approval: { groups: [approvers] }',
      ]),
    );
    // Matched on the network: uncacheable.
    expect(policy.evaluate(makeRequest())).toMatchObject({ rule: 'office', cacheTtlMs: 0 });
    // Denied because the network did not match: another address could be allowed, so uncacheable too.
    expect(policy.evaluate(makeRequest({ context: { clientAddress: '192.0.2.1' } }))).toMatchObject({
      rule: 'default-deny',
      cacheTtlMs: 0,
    });
  });

  it('cacheTtl - a decision that depended on subject or issuer is not cached (they are not in the cache key)', () => {
    const policy = loadPolicy(
      policyYaml([
        'id: alice, effect: allow, match: { subjects: [alice] }',
        'id: iss, effect: deny, match: { issuers: [evil] }',
      ]),
    );
    expect(policy.evaluate(makeRequest({ actor: { sub: 'alice' } }))).toMatchObject({
      rule: 'alice',
      cacheTtlMs: 0,
    });
    expect(policy.evaluate(makeRequest())).toMatchObject({ rule: 'default-deny', cacheTtlMs: 0 });
  });

  it('cacheTtl - an unkeyed rule that could not have changed the outcome keeps the TTL', () => {
    const policy = loadPolicy(
      policyYaml([
        'id: deny-all, effect: deny, match: { groups: [pipelines] }',
        'id: alice, effect: allow, match: { subjects: [alice] }',
        "id: office, effect: deny, match: { session: { clientCidrs: ['192.0.2.0/24'] } }",
      ]),
    );
    // The first deny wins for pipelines: neither alice's allow nor the later deny could change that.
    expect(policy.evaluate(makeRequest({ actor: { sub: 'alice' } }))).toMatchObject({
      rule: 'deny-all',
      cacheTtlMs: 60_000,
    });
    // An unkeyed rule whose keyed conditions fail is irrelevant too.
    const scoped = loadPolicy(
      policyYaml([
        'id: a, effect: allow, match: {}',
        'id: d, effect: deny, match: { groups: [x], subjects: [bob] }',
      ]),
    );
    expect(scoped.evaluate(makeRequest())).toMatchObject({ rule: 'a', cacheTtlMs: 60_000 });
  });

  it('cacheTtl - a failed unkeyed deny that would have beaten the winner makes the decision uncacheable', () => {
    const policy = loadPolicy(
      policyYaml([
        'id: a, effect: allow, match: {}',
        'id: blocked, effect: deny, match: { subjects: [mallory] }',
      ]),
    );
    expect(policy.evaluate(makeRequest())).toMatchObject({ rule: 'a', cacheTtlMs: 0 });
    expect(policy.evaluate(makeRequest({ actor: { sub: 'mallory' } }))).toMatchObject({
      rule: 'blocked',
      cacheTtlMs: 0,
    });
  });

  it('cacheTtl - an earlier unkeyed rule of the winning effect matters, a later one does not', () => {
    const policy = loadPolicy(
      policyYaml([
        'id: early, effect: allow, match: { subjects: [alice] }, masking: strict',
        'id: plain, effect: allow, match: {}',
        'id: late, effect: allow, match: { subjects: [bob] }',
      ]),
    );
    expect(policy.evaluate(makeRequest())).toMatchObject({ rule: 'plain', cacheTtlMs: 0 });
    const lateOnly = loadPolicy(
      policyYaml([
        'id: plain, effect: allow, match: {}',
        'id: late, effect: allow, match: { subjects: [bob] }',
      ]),
    );
    expect(lateOnly.evaluate(makeRequest())).toMatchObject({ rule: 'plain', cacheTtlMs: 60_000 });
  });

  it('cacheTtl - a decision that depended on a time window is cached at most until the window edge', () => {
    const policy = loadPolicy(
      policyYaml(
        ["id: hours, effect: allow, match: { time: { between: ['08:00', '18:00'] } }"],
        'defaults: { cacheTtl: 10m }',
      ),
    );
    // 17:55:30 UTC: inside; the window closes in 4.5 minutes.
    expect(
      policy.evaluate(makeRequest({ context: { time: new Date('2025-01-15T17:55:30Z') } })),
    ).toMatchObject({
      rule: 'hours',
      cacheTtlMs: 270_000,
    });
    // 07:59:45: outside (default deny); the window opens in 15 s.
    expect(
      policy.evaluate(makeRequest({ context: { time: new Date('2025-01-15T07:59:45Z') } })),
    ).toMatchObject({
      rule: 'default-deny',
      cacheTtlMs: 15_000,
    });
    // Midday: the edge is hours away, the TTL stays the rule's.
    expect(policy.evaluate(makeRequest()).cacheTtlMs).toBe(600_000);
  });

  it('cacheTtl - the shortest bound wins when several time windows mattered', () => {
    const policy = loadPolicy(
      policyYaml(
        [
          "id: freeze, effect: deny, match: { time: { between: ['12:03', '13:00'] } }",
          "id: hours, effect: allow, match: { time: { between: ['08:00', '12:05'] } }",
        ],
        'defaults: { cacheTtl: 10m }',
      ),
    );
    const decision = policy.evaluate(makeRequest({ context: { time: new Date('2025-01-15T12:00:00Z') } }));
    expect(decision).toMatchObject({ rule: 'hours', cacheTtlMs: 180_000 });
  });

  it('evaluate - refuses an invalid request time when a time window must be checked', () => {
    const policy = loadPolicy(policyYaml(['id: hours, effect: allow, match: { time: { days: [mon] } }']));
    expect(() => policy.evaluate(makeRequest({ context: { time: new Date(Number.NaN) } }))).toThrow(
      RangeError,
    );
  });
});
