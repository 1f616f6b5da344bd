import { describe, expect, it } from 'vitest';
import { loadPolicy } from './load-policy.ts';
import { policyVersion } from './policy-version.ts';

const compact = `version: 1
name: demo
rules:
  - { id: r1, effect: allow, match: { groups: [pipelines], operation: { riskClasses: [read] } }, masking: default }
maskingProfiles: [default]
`;

// Same document: other key order, block style, quoting, comments and blank lines.
const reformatted = `# a comment that does not change the policy
name: "demo"
maskingProfiles:
  - default
version: 1

rules:
  - masking: 'default'
    match:
      operation:
        riskClasses: [ read ]
      groups:
        - pipelines
    effect: allow
    id: r1
`;

describe('policy version', () => {
  it('policy version - is sha256: and 16 hex digits', () => {
    expect(loadPolicy(compact).version).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('policy version - is the same for byte-different but equal documents', () => {
    expect(loadPolicy(reformatted).version).toBe(loadPolicy(compact).version);
  });

  it('policy version - changes when any value changes, including rule order', () => {
    const base = loadPolicy(compact).version;
    expect(loadPolicy(compact.replace('pipelines', 'builders')).version).not.toBe(base);
    const twoRules = (first: string, second: string) =>
      `version: 1\nname: demo\nrules:\n  - { id: ${first}, effect: allow, match: {} }\n  - { id: ${second}, effect: deny, match: {} }\n`;
    expect(loadPolicy(twoRules('a', 'b')).version).not.toBe(loadPolicy(twoRules('b', 'a')).version);
  });

  it('policy version - matches the SHA-256 of the RFC 8785 canonical JSON', () => {
    // sha256('{"name":"x","rules":[],"version":1}')
    expect(policyVersion({ version: 1, rules: [], name: 'x' })).toBe('sha256:3a34e55b7947acf1');
  });
});
