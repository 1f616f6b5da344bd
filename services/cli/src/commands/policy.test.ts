import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGatehouse } from '../run-gatehouse.fixture.ts';

// Real: the CLI launcher in a child process, @gatehouse/policy, and @gatehouse/sql-risk's
// PostgreSQL parser (WASM) classifying the `sql:` cases; files in a temporary directory.

const policyYaml = `version: 1
name: cli-test
rules:
  - id: deny-drop
    reason: DROP is denied
    effect: deny
    match:
      operation:
        kinds: [drop]
  - id: readers-read
    reason: readers may read
    effect: allow
    match:
      groups: [readers]
      targets: { names: [shop], kinds: [postgres] }
      operation:
        riskClasses: [read]
  - id: ops-read-hosts
    reason: ops may run read-only commands
    effect: allow
    match:
      groups: [ops]
      targets: { names: [web-1], kinds: [ssh] }
      operation:
        riskClasses: [read]
`;

const passingCases = `cases:
  - name: readers can SELECT
    actor: { sub: ann, groups: [readers] }
    target: shop
    sql: SELECT id, email FROM customers WHERE id = 1
    expect: allow
    rule: readers-read
  - name: nobody may DROP
    actor: { sub: ann, groups: [readers] }
    target: shop
    sql: DROP TABLE customers
    expect: deny
    rule: deny-drop
  - name: readers may not write (given classification)
    actor: { sub: ann, groups: [readers] }
    target: shop
    classification: { riskClass: write, kinds: [update], relationsWritten: [customers] }
    expect: deny
    rule: default-deny
  - name: ops can tail a log
    actor: { sub: oli, groups: [ops] }
    target: web-1
    shell: tail -n 20 /var/log/app.log
    expect: allow
    rule: ops-read-hosts
  - name: ops may not remove files
    actor: { sub: oli, groups: [ops] }
    target: web-1
    shell: rm -rf /var/lib/app
    expect: deny
    rule: default-deny
`;

const failingCases = `cases:
  - name: readers can SELECT
    actor: { sub: ann, groups: [readers] }
    target: shop
    sql: SELECT 1
    expect: allow
  - name: readers can DROP (wrong on purpose)
    actor: { sub: ann, groups: [readers] }
    target: shop
    sql: DROP TABLE customers
    expect: allow
  - name: ops can remove files (wrong on purpose)
    actor: { sub: oli, groups: [ops] }
    target: web-1
    shell: rm -rf /var/lib/app
    expect: allow
`;

// Each case starts a Node process with tsx and loads the WASM parser: seconds on a busy machine.
describe('gatehouse policy test', { timeout: 30_000 }, () => {
  let directory: string;
  const path = (name: string) => join(directory, name);

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'gatehouse-cli-policy-'));
    await writeFile(path('policy.yaml'), policyYaml);
    await writeFile(path('passing.cases.yaml'), passingCases);
    await writeFile(path('failing.cases.yaml'), failingCases);
    await writeFile(path('invalid-policy.yaml'), 'version: 1\nname: broken\nrules: 5\n');
    await writeFile(path('invalid.cases.yaml'), 'cases:\n  - name: no expectation\n    target: shop\n');
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('gatehouse policy test - every case passing prints the report and exits 0', async () => {
    const run = await runGatehouse(['policy', 'test', path('policy.yaml'), path('passing.cases.yaml')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^policy cli-test \S+\n/);
    expect(run.stdout).toMatch(
      /^PASS {2}readers can SELECT +allow \(readers-read\) +allow \(readers-read\)$/m,
    );
    expect(run.stdout).toMatch(/^PASS {2}nobody may DROP +deny \(deny-drop\) +deny \(deny-drop\)$/m);
    expect(run.stdout).toMatch(/^PASS {2}readers may not write/m);
    expect(run.stdout).toMatch(
      /^PASS {2}ops can tail a log +allow \(ops-read-hosts\) +allow \(ops-read-hosts\)$/m,
    );
    expect(run.stdout).toMatch(
      /^PASS {2}ops may not remove files +deny \(default-deny\) +deny \(default-deny\)$/m,
    );
    expect(run.stdout).toMatch(/5 cases: 5 passed, 0 failed\n$/);
  });

  it('gatehouse policy test - a failing case is reported with its reason and exits 1', async () => {
    const run = await runGatehouse(['policy', 'test', path('policy.yaml'), path('failing.cases.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^PASS {2}readers can SELECT/m);
    expect(run.stdout).toMatch(/^FAIL {2}readers can DROP \(wrong on purpose\) +allow +deny \(deny-drop\)$/m);
    expect(run.stdout).toContain('- expected allow, got deny (DROP is denied)');
    expect(run.stdout).toMatch(
      /^FAIL {2}ops can remove files \(wrong on purpose\) +allow +deny \(default-deny\)$/m,
    );
    expect(run.stdout).toMatch(/3 cases: 1 passed, 2 failed\n$/);
  });

  it('gatehouse policy test - an invalid policy or cases file exits 1 listing the problems', async () => {
    const policy = await runGatehouse([
      'policy',
      'test',
      path('invalid-policy.yaml'),
      path('passing.cases.yaml'),
    ]);
    expect(policy.code).toBe(1);
    expect(policy.stdout).toBe('');
    expect(policy.stderr).toContain(
      `gatehouse policy: ${path('invalid-policy.yaml')}: invalid policy:\n  - `,
    );
    expect(policy.stderr).toContain('/rules');

    const cases = await runGatehouse(['policy', 'test', path('policy.yaml'), path('invalid.cases.yaml')]);
    expect(cases.code).toBe(1);
    expect(cases.stderr).toContain(
      `gatehouse policy: ${path('invalid.cases.yaml')}: invalid cases file:\n  - `,
    );
  });

  it('gatehouse policy - a missing file, argument or subcommand exits 2 with the usage line', async () => {
    const missing = await runGatehouse(['policy', 'test', path('nope.yaml'), path('passing.cases.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `gatehouse policy: cannot read POLICY_FILE ${path('nope.yaml')} (ENOENT)`,
    );

    const oneFile = await runGatehouse(['policy', 'test', path('policy.yaml')]);
    expect(oneFile.code).toBe(2);
    expect(oneFile.stderr).toContain('gatehouse policy: policy test needs POLICY_FILE and CASES_FILE');

    const noAction = await runGatehouse(['policy']);
    expect(noAction.code).toBe(2);
    expect(noAction.stderr).toContain('gatehouse policy: missing subcommand: test');

    const wrongAction = await runGatehouse(['policy', 'check', 'a', 'b']);
    expect(wrongAction.code).toBe(2);
    expect(wrongAction.stderr).toContain('gatehouse policy: unknown subcommand "check"');
    for (const run of [missing, oneFile, noAction, wrongAction]) {
      expect(run.stderr).toContain('usage: gatehouse policy test POLICY_FILE CASES_FILE');
    }
  });

  it('gatehouse policy --help prints the usage on stdout and exits 0', async () => {
    const run = await runGatehouse(['policy', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: gatehouse policy test POLICY_FILE CASES_FILE');
  });
});
