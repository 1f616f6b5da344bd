import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@gatehouse/logging';
import { demoPolicyPath, loadPolicy } from '@gatehouse/policy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilePolicySource } from './file-policy-source.ts';
import { PolicyStore } from './policy-store.ts';

// Small tier with a real file system: a temporary directory per test.
const demoText = readFileSync(demoPolicyPath, 'utf8');
const demoVersion = loadPolicy(demoText).version;
const closedText =
  'version: 1\nname: closed\nrules:\n  - { id: nobody, effect: deny, match: { groups: [pipelines] } }\n';
const closedVersion = loadPolicy(closedText).version;

let dir: string;
let path: string;
let logLines: string[];
let changes: string[];
let store: PolicyStore | undefined;

const logger = () =>
  createLogger({
    service: 'authz-test',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });

async function openStore(): Promise<PolicyStore> {
  const log = logger();
  store = await PolicyStore.open(new FilePolicySource(path, log), log, (policy) =>
    changes.push(policy.version),
  );
  return store;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'authz-policy-'));
  path = join(dir, 'policy.yaml');
  writeFileSync(path, demoText);
  logLines = [];
  changes = [];
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('PolicyStore with a policy file', () => {
  it('policy-store - loads the file and reports no change while it stays the same', async () => {
    const opened = await openStore();
    expect(opened.current.version).toBe(demoVersion);
    writeFileSync(path, `# a comment changes nothing\n${demoText}`);
    await settle();
    expect(changes).toEqual([]);
    expect(opened.current.version).toBe(demoVersion);
  });

  it('policy-store - puts an edited file in force and reports the new version once', async () => {
    const opened = await openStore();
    writeFileSync(path, closedText);
    await until(() => changes.length > 0, 'the policy change');
    expect(changes).toEqual([closedVersion]);
    expect(opened.current.version).toBe(closedVersion);
  });

  it('policy-store - sees a file replaced by rename (editors, ConfigMap symlink swaps)', async () => {
    const opened = await openStore();
    writeFileSync(join(dir, 'policy.yaml.tmp'), closedText);
    renameSync(join(dir, 'policy.yaml.tmp'), path);
    await until(() => changes.length > 0, 'the policy change');
    expect(opened.current.version).toBe(closedVersion);
  });

  it('policy-store - keeps the current policy when the new file is invalid, and logs why', async () => {
    const opened = await openStore();
    writeFileSync(path, 'version: 1\nname: broken\nrules:\n  - { id: x, effect: maybe, match: {} }\n');
    await until(() => logLines.some((line) => line.includes('new policy rejected')), 'the rejection');
    expect(changes).toEqual([]);
    expect(opened.current.version).toBe(demoVersion);
    const line = JSON.parse(logLines.find((l) => l.includes('new policy rejected')) ?? '{}') as {
      level: number;
      policyVersion: string;
    };
    expect(line.level).toBe(50);
    expect(line.policyVersion).toBe(demoVersion);
  });

  it('policy-store - keeps the current policy when the file disappears', async () => {
    const opened = await openStore();
    rmSync(path);
    await until(() => logLines.some((l) => l.includes('policy file unreadable')), 'the unreadable file');
    expect(opened.current.version).toBe(demoVersion);
    expect(changes).toEqual([]);
  });

  it('policy-store - does not start from an invalid file', async () => {
    writeFileSync(path, 'rules: [');
    await expect(openStore()).rejects.toThrow(/policy document/u);
  });

  it('policy-store - offer takes a valid new document and ignores an invalid or identical one', async () => {
    const opened = await openStore();
    expect(opened.offer('not: [a policy')).toBe(false);
    expect(opened.offer(demoText)).toBe(false);
    expect(opened.offer(closedText)).toBe(true);
    expect(changes).toEqual([closedVersion]);
  });
});
