import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyCasesSchema, policySchema } from '@gatehouse/contracts';
import { demoPolicyPath } from './demo-policy.ts';
import { InvalidPolicyError } from './invalid-policy-error.ts';
import { compilePolicy, loadPolicy } from './load-policy.ts';
import { policyYaml } from './policy-request.fixture.ts';

function problemsOf(yamlText: string): readonly string[] {
  try {
    loadPolicy(yamlText);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPolicyError);
    return (error as InvalidPolicyError).problems;
  }
  throw new Error('the document was accepted');
}

const allow = 'id: r1, effect: allow, match: { groups: [pipelines] }';

describe('loadPolicy - validation', () => {
  it('loadPolicy - accepts the demo policy and a document using every field', () => {
    expect(loadPolicy(readFileSync(demoPolicyPath, 'utf8')).name).toBe('demo');
    const full = `
version: 1
name: everything
description: every field at once
defaults: { cacheTtl: 500ms, holdTimeout: 90s }
maskingProfiles: [default, strict]
rules:
  - id: all.fields_1
    description: all match fields
    reason: because
    effect: review
    match:
      subjects: [alice]
      groups: [pipelines]
      issuers: ['https://issuer.test']
      targets: { names: ['demo*'], kinds: [postgres, ssh], labels: { env: prod } }
      operation:
        languages: [sql, shell]
        riskClasses: [read, write, admin, destructive, unknown]
        kinds: [select, insert]
        flags: { any: [row_lock], none: [write_without_where], only: [row_lock, ddl] }
        relations: { read: ['public.customers', 'orders*'], written: { none: ['audit.*'] } }
        functions: { only: [count, 'pg_*'] }
      time: { days: [mon, tue, wed, thu, fri, sat, sun], between: ['08:00', '24:00'], timezone: Europe/Berlin }
      session: { tls: true, clientCidrs: ['10.0.0.0/8', '127.0.0.1/32', '::1/128'] }
    masking: strict
    approval: { groups: [approvers], quorum: 2, holdTimeout: 1h }
    cacheTtl: 0s
`;
    const policy = loadPolicy(full);
    expect(policy.name).toBe('everything');
    expect(policy.document.rules[0]!.approval).toEqual({
      groups: ['approvers'],
      quorum: 2,
      holdTimeout: '1h',
    });
  });

  it('loadPolicy - rejects unknown keys at every level, naming each key', () => {
    const problems = problemsOf(
      policyYaml(
        [
          'id: r1, effect: allow, match: { group: [x] }, colour: red',
          'id: r2, effect: deny, match: { operation: { risk: [read] }, targets: { name: [demo] } }',
        ],
        'extra: 1',
      ),
    );
    expect(problems).toEqual([
      '/: unknown key "extra"',
      '/rules/0: unknown key "colour"',
      '/rules/0/match: unknown key "group"',
      '/rules/1/match/targets: unknown key "name"',
      '/rules/1/match/operation: unknown key "risk"',
    ]);
  });

  it('loadPolicy - rejects a review rule without approval', () => {
    expect(problemsOf(policyYaml(['id: r1, effect: review, match: {}']))).toEqual([
      '/rules/0: missing required key "approval"',
    ]);
  });

  it('loadPolicy - rejects approval on allow and masking or approval on deny', () => {
    expect(
      problemsOf(
        policyYaml([
          'id: r1, effect: allow, match: {}, approval: { groups: [approvers] }',
          'id: r2, effect: deny, match: {}, masking: default, approval: { groups: [approvers] }',
        ]),
      ),
    ).toEqual([
      "/rules/0/approval: not allowed for this rule's effect",
      "/rules/1/approval: not allowed for this rule's effect",
      "/rules/1/masking: not allowed for this rule's effect",
    ]);
  });

  it('loadPolicy - rejects bad durations, including zero and milliseconds for a hold timeout', () => {
    expect(
      problemsOf(
        policyYaml(
          [
            'id: r1, effect: allow, match: {}, cacheTtl: 10 minutes',
            'id: r2, effect: review, match: {}, approval: { groups: [a], holdTimeout: 0s }',
            'id: r3, effect: review, match: {}, approval: { groups: [a], holdTimeout: 500ms }',
            'id: r4, effect: allow, match: {}, cacheTtl: 25h',
          ],
          'defaults: { cacheTtl: 60, holdTimeout: 2d }',
        ),
      ),
    ).toEqual([
      '/defaults/cacheTtl: must be a duration like 500ms, 60s, 10m or 1h',
      '/defaults/holdTimeout: must be a positive duration in s, m or h, like 90s, 10m or 1h',
      '/rules/0/cacheTtl: must be a duration like 500ms, 60s, 10m or 1h',
      '/rules/1/approval/holdTimeout: must be a positive duration in s, m or h, like 90s, 10m or 1h',
      '/rules/2/approval/holdTimeout: must be a positive duration in s, m or h, like 90s, 10m or 1h',
      '/rules/3/cacheTtl: must be at most 24h',
    ]);
  });

  it('loadPolicy - rejects bad CIDRs: prefix out of range, no prefix, bad address, zone id', () => {
    expect(
      problemsOf(
        policyYaml([
          "id: r1, effect: allow, match: { session: { clientCidrs: ['10.0.0.0/33', '10.0.0.1', '10.0.0.256/8', 'fe80::1%eth0/64', '::1/129', '::1/64'] } }",
        ]),
      ),
    ).toEqual(
      [0, 1, 2, 3, 4].map(
        (index) =>
          `/rules/0/match/session/clientCidrs/${index}: must be an IPv4 or IPv6 network with a prefix length, like 10.0.0.0/8 or ::1/128`,
      ),
    );
  });

  it('loadPolicy - rejects a bad effect, risk class, day, time and time zone', () => {
    expect(
      problemsOf(
        policyYaml([
          "id: r1, effect: permit, match: { operation: { riskClasses: [reads] }, time: { days: [monday], between: ['8:00', '25:00'], timezone: Mars/Olympus } }",
        ]),
      ),
    ).toEqual([
      '/rules/0/effect: must be one of allow, deny, review',
      '/rules/0/match/operation/riskClasses/0: must be one of read, write, admin, destructive, unknown',
      '/rules/0/match/time/days/0: must be one of mon, tue, wed, thu, fri, sat, sun',
      '/rules/0/match/time/between/0: must be a local time HH:MM (00:00 to 23:59; the end may be 24:00)',
      '/rules/0/match/time/between/1: must be a local time HH:MM (00:00 to 23:59; the end may be 24:00)',
      '/rules/0/match/time/timezone: must be an IANA time zone such as UTC or Europe/Berlin',
    ]);
  });

  it('loadPolicy - lists schema and semantic problems together', () => {
    expect(
      problemsOf(
        policyYaml([
          'id: default-deny, effect: deny, match: {}',
          allow,
          allow,
          'id: r2, effect: allow, match: { time: { timezone: UTC } }, masking: nope',
          "id: r3, effect: allow, match: { time: { between: ['09:00', '09:00'] } }, unknown: 1",
        ]),
      ),
    ).toEqual([
      '/rules/4: unknown key "unknown"',
      '/rules/0/id: "default-deny" is reserved for the implicit final deny',
      '/rules/2/id: duplicate rule id "r1" (first at /rules/1)',
      '/rules/3/masking: unknown masking profile "nope"; declare it in maskingProfiles',
      '/rules/3/match/time: needs days, between or both',
      '/rules/4/match/time/between: start and end must differ',
    ]);
  });

  it('loadPolicy - rejects empty lists and empty condition objects', () => {
    expect(
      problemsOf(
        policyYaml(['id: r1, effect: allow, match: { groups: [], operation: { flags: {} }, session: {} }']),
      ),
    ).toEqual([
      '/rules/0/match/groups: must NOT have fewer than 1 items',
      '/rules/0/match/operation/flags: must NOT have fewer than 1 properties',
      '/rules/0/match/session: must NOT have fewer than 1 properties',
    ]);
  });

  it('loadPolicy - rejects a wrong format version, missing fields and a non-object document', () => {
    expect(problemsOf('version: 2\nname: x\n')).toEqual([
      '/: missing required key "rules"',
      '/version: must be 1',
    ]);
    expect(problemsOf('- just\n- a list\n')).toEqual(['/: must be object']);
    expect(problemsOf('')).toEqual(['/: must be object']);
  });

  it('loadPolicy - reports YAML syntax errors and duplicate keys', () => {
    const problems = problemsOf('version: 1\nname: a\nname: b\nrules: []\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^YAML Map keys must be unique/);
    expect(problemsOf('version: 1\nrules: [\n')[0]).toMatch(/^YAML /);
  });

  it('loadPolicy - throws an InvalidPolicyError with code invalid_policy naming the policy document', () => {
    let error: unknown;
    try {
      loadPolicy('version: 1');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      name: 'InvalidPolicyError',
      code: 'invalid_policy',
      source: 'policy document',
    });
  });

  it('loadPolicy - the error message names every problem', () => {
    expect(() => loadPolicy(policyYaml(['id: r1, effect: nope, match: {}']))).toThrow(
      'invalid policy document (1 problem): /rules/0/effect: must be one of allow, deny, review',
    );
  });

  it('loadPolicy - reads unquoted HH:MM times as strings (YAML 1.2), not sexagesimal numbers', () => {
    const policy = loadPolicy(
      policyYaml(['id: r1, effect: allow, match: { time: { between: [08:00, 18:30] } }']),
    );
    expect(policy.document.rules[0]!.match.time?.between).toEqual(['08:00', '18:30']);
  });

  it('compilePolicy - freezes the document it keeps and copies the input', () => {
    const input = { version: 1, name: 'x', rules: [{ id: 'r1', effect: 'allow', match: {} }] };
    const policy = compilePolicy(input);
    expect(Object.isFrozen(policy.document.rules[0]!.match)).toBe(true);
    input.rules[0]!.effect = 'deny';
    expect(policy.document.rules[0]!.effect).toBe('allow');
  });
});

describe('policy schemas', () => {
  // Every property schema and array item schema carries a description (contract-first habit).
  function undescribed(schema: unknown, path: string, found: string[]): string[] {
    if (typeof schema !== 'object' || schema === null) return found;
    const node = schema as Record<string, unknown>;
    for (const key of ['properties', '$defs'] as const) {
      const children = node[key];
      if (typeof children !== 'object' || children === null) continue;
      for (const [name, child] of Object.entries(children)) {
        if (typeof child === 'boolean') continue; // `false`: the key is forbidden, not a field
        if (typeof (child as { description?: unknown }).description !== 'string')
          found.push(`${path}/${key}/${name}`);
        undescribed(child, `${path}/${key}/${name}`, found);
      }
    }
    for (const key of ['items', 'additionalProperties', 'then', 'else'] as const) {
      const child = node[key];
      if (typeof child !== 'object' || child === null) continue;
      if (
        key !== 'then' &&
        key !== 'else' &&
        typeof (child as { description?: unknown }).description !== 'string'
      ) {
        found.push(`${path}/${key}`);
      }
      undescribed(child, `${path}/${key}`, found);
    }
    for (const key of ['prefixItems', 'allOf'] as const) {
      const list = node[key];
      if (!Array.isArray(list)) continue;
      list.forEach((child, index) => {
        if (key === 'prefixItems' && typeof (child as { description?: unknown }).description !== 'string') {
          found.push(`${path}/${key}/${index}`);
        }
        undescribed(child, `${path}/${key}/${index}`, found);
      });
    }
    return found;
  }

  it('policy schemas - describe every field', () => {
    expect(undescribed(policySchema, '#', [])).toEqual([]);
    expect(undescribed(policyCasesSchema, '#', [])).toEqual([]);
  });

  it('policy schemas - forbid additional properties on every object', () => {
    const open: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      const types = ([] as unknown[]).concat(record.type ?? []);
      if (
        types.includes('object') &&
        record.properties !== undefined &&
        record.additionalProperties !== false
      ) {
        open.push(path);
      }
      for (const [key, child] of Object.entries(record)) visit(child, `${path}/${key}`);
    };
    visit(policySchema, '#');
    visit(policyCasesSchema, '#');
    expect(open).toEqual([]);
  });
});
