import { describe, expect, it } from 'vitest';
import type { Decision } from '@gatehouse/contracts';
import { DecisionCache } from './decision-cache.ts';

function decision(effect: Decision['effect'], cacheTtlMs: number, policyVersion = 'sha256:1'): Decision {
  return {
    effect,
    rule: 'r',
    reason: 'because',
    policyVersion,
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
  const scope = DecisionCache.scope(['pipelines'], 'demo-ssh');
  const key = DecisionCache.exactKey(scope, 'ls /');

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
    cache.set(DecisionCache.exactKey(scope, 'x'), decision('deny', 0), 0);
    expect(cache.size).toBe(0);
  });

  it('decision-cache - keys differ by groups, target, text and exact versus template', () => {
    const keys = [
      key,
      DecisionCache.exactKey(DecisionCache.scope(['others'], 'demo-ssh'), 'ls /'),
      DecisionCache.exactKey(DecisionCache.scope(['pipelines'], 'other'), 'ls /'),
      DecisionCache.exactKey(scope, 'ls'),
      DecisionCache.templateKey(scope, 'ls /'),
      // Group lists cannot run together: ['a,b'] is not ['a', 'b'], nor is group 'x' target 'x'.
      DecisionCache.exactKey(DecisionCache.scope(['a,b'], 't'), 'q'),
      DecisionCache.exactKey(DecisionCache.scope(['a', 'b'], 't'), 'q'),
      DecisionCache.exactKey(DecisionCache.scope(['pipelines', 'demo-ssh'], ''), 'ls /'),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('decision-cache - a policy change empties it and refuses decisions of any other version', () => {
    const cache = new DecisionCache();
    cache.set(key, decision('deny', 1000), 0);
    cache.clear('sha256:2');
    expect(cache.get(key, 1)).toBeUndefined();
    // A decision that was in flight across the change carries the old version.
    cache.set(key, decision('allow', 1000, 'sha256:1'), 2);
    expect(cache.size).toBe(0);
    cache.set(key, decision('allow', 1000, 'sha256:2'), 2);
    expect(cache.get(key, 3)?.policyVersion).toBe('sha256:2');
    cache.clear();
    expect(cache.size).toBe(0);
    cache.set(key, decision('allow', 1000, 'sha256:1'), 4);
    expect(cache.size).toBe(0);
  });

  it('decision-cache - holds at most 50000 entries, evicting the oldest', () => {
    const cache = new DecisionCache();
    for (let index = 0; index <= 50_000; index += 1) {
      cache.set(DecisionCache.exactKey(scope, `q${index}`), decision('allow', 60_000), 0);
    }
    expect(cache.size).toBe(50_000);
    expect(cache.get(DecisionCache.exactKey(scope, 'q0'), 1)).toBeUndefined();
    expect(cache.get(DecisionCache.exactKey(scope, 'q1'), 1)?.effect).toBe('allow');
    expect(cache.get(DecisionCache.exactKey(scope, 'q50000'), 1)?.effect).toBe('allow');
  });
});
