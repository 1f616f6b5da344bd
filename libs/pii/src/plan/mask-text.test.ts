import { describe, expect, it } from 'vitest';
import { builtInProfiles, compileProfile, maskText, TextStreamMasker } from '../index.ts';

const profile = compileProfile(builtInProfiles.default);

describe('maskText', () => {
  it('mask-text - masks command output with the same detectors and counts per entity', () => {
    const result = maskText('user=ann@example.com from 203.0.113.42 paid 4111-1111-1111-1111\n', profile);
    expect(result.text).toBe('user=****@example.com from 203.0.113.0 paid ****-****-****-1111\n');
    expect(result.counts).toEqual({ total: 3, byEntity: { email: 1, ipv4: 1, card: 1 } });
  });

  it('mask-text - masks every one of thousands of findings in one text', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `u${i}@example.com`).join(' ');
    const result = maskText(text, profile);
    expect(result.counts).toEqual({ total: 3000, byEntity: { email: 3000 } });
    expect(result.text).toBe(Array.from({ length: 3000 }, () => '****@example.com').join(' '));
  });

  it('mask-text - returns the same string and zero counts for clean output', () => {
    const line = 'total 48\ndrwxr-xr-x 2 root root 4096 May 17 10:22 .\n';
    const result = maskText(line, profile);
    expect(result.text).toBe(line);
    expect(result.counts.total).toBe(0);
  });

  it('mask-text - nullify has no meaning in a stream and falls back to the redaction token', () => {
    const nullify = compileProfile({ name: 'n', entities: { email: 'nullify' } });
    expect(maskText('mail ann@example.com', nullify).text).toBe('mail [REDACTED:email]');
  });

  it('mask-text - a private key split over chunks is dropped until its END line', () => {
    const masker = new TextStreamMasker(profile);
    expect(masker.mask('$ cat id_rsa\n-----BEGIN OPENSSH PRIVATE KEY-----\n').text).toBe(
      '$ cat id_rsa\n[REDACTED:secret]',
    );
    expect(masker.mask('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n').text).toBe(
      '',
    );
    expect(masker.mask('QyNTUxOQAAACBx\n-----END OPENSSH PRIVATE KEY-----\n$ ls\n').text).toBe('\n$ ls\n');
    expect(masker.mask('next ann@example.com\n').text).toBe('next ****@example.com\n');
  });
});
