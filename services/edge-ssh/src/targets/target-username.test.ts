import { describe, expect, it } from 'vitest';
import { MAX_TARGET_NAME_LENGTH, targetOfUsername } from './target-username.ts';

describe('targetOfUsername', () => {
  it('target-username - a plain username names the target', () => {
    expect(targetOfUsername('demo-ssh')).toBe('demo-ssh');
  });

  it('target-username - everything after the first + is ignored', () => {
    expect(targetOfUsername('demo-ssh+ci-job-42')).toBe('demo-ssh');
    expect(targetOfUsername('demo-ssh+a+b')).toBe('demo-ssh');
  });

  it('target-username - an empty name stays empty (no target has it)', () => {
    expect(targetOfUsername('+job')).toBe('');
    expect(targetOfUsername('')).toBe('');
  });

  it('target-username - truncates to the evidence limit of 128 characters', () => {
    expect(targetOfUsername('x'.repeat(500))).toBe('x'.repeat(MAX_TARGET_NAME_LENGTH));
    expect(MAX_TARGET_NAME_LENGTH).toBe(128);
  });
});
