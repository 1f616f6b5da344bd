import { describe, expect, it } from 'vitest';
import { scanSedScript } from './sed-script.ts';

describe('scanSedScript', () => {
  it.each([
    ['s/a/b/g', { executes: false, writes: [], unparsed: false }],
    ['1,10p', { executes: false, writes: [], unparsed: false }],
    ['/start/,/end/d;$!N', { executes: false, writes: [], unparsed: false }],
    ['s|/usr|/opt|2', { executes: false, writes: [], unparsed: false }],
    ['y/abc/xyz/', { executes: false, writes: [], unparsed: false }],
    ['/x/{s/a/b/;p}', { executes: false, writes: [], unparsed: false }],
    ['$a\\\nlast line', { executes: false, writes: [], unparsed: false }],
    ['1i header', { executes: false, writes: [], unparsed: false }],
    [':top\ns/x/y/\nt top', { executes: false, writes: [], unparsed: false }],
    ['r /etc/hosts', { executes: false, writes: [], unparsed: false }],
    ['# comment\np', { executes: false, writes: [], unparsed: false }],
    ['s/a/b/w /tmp/out', { executes: false, writes: ['/tmp/out'], unparsed: false }],
    ['/x/w /etc/passwd', { executes: false, writes: ['/etc/passwd'], unparsed: false }],
    ['s/.*/id/e', { executes: true, writes: [], unparsed: false }],
    ['1e rm -rf /', { executes: true, writes: [], unparsed: false }],
    ['s/a\\/b/c/', { executes: false, writes: [], unparsed: false }],
  ])('scanSedScript - reads %j', (script, expected) => {
    expect(scanSedScript(script)).toEqual(expected);
  });

  it.each(['s/a/b', 'k', 's', '/unterminated'])('scanSedScript - reports %j as unparsed', (script) => {
    expect(scanSedScript(script).unparsed).toBe(true);
  });
});
