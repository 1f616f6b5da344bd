import { describe, expect, it } from 'vitest';
import type { Decision } from '@gatehouse/contracts';
import { DecisionCache } from './decision-cache.ts';

function decision(effect: Decision['effect'], cacheTtlMs: number): Decision {
  return {
    effect,
    rule: 'r',
    reason: 'because',
    policyVersion: 'sha256:1',
    cacheTtlMs,
    classification: {
      riskClass: 'read',
      kinds: ['ls'],
      riskFlags: [],
      relationsRead: [],
      relationsWritten: [],
      fingerprint: 'f',
      normalized: 'ls',
      statementCount: 1,
    },
  };
}

describe('DecisionCache', () => {
  const key = DecisionCache.key('ls /', ['pipelines'], 'demo-ssh');

  it('decision-cache - keeps allow and deny decisions for their lifetime', () => {
    const cache = new DecisionCache();
    cache.set(key, decision('allow', 1000), 0);
    expect(cache.get(key, 999)?.effect).toBe('allow');
    expect(cache.get(key, 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('decision-cache - never keeps review decisions or decisions with no lifetime', () => {
    const cache = new DecisionCache();
    cache.set(key, decision('review', 60_000), 0);
    cache.set(DecisionCache.key('x', [], 't'), decision('deny', 0), 0);
    expect(cache.size).toBe(0);
  });

  it('decision-cache - keys differ by groups, target and text; clear empties it', () => {
    expect(
      new Set([
        key,
        DecisionCache.key('ls /', ['others'], 'demo-ssh'),
        DecisionCache.key('ls /', ['pipelines'], 'other'),
        DecisionCache.key('ls', ['pipelines'], 'demo-ssh'),
      ]).size,
    ).toBe(4);
    const cache = new DecisionCache();
    cache.set(key, decision('deny', 1000), 0);
    cache.clear();
    expect(cache.get(key, 1)).toBeUndefined();
  });
});
