import { describe, expect, it } from 'vitest';
import { assessPath, changeDirectory, normalizeAbsolute, type WorkingDirectory } from './path-assessment.ts';
import type { ArgValue } from './word-value.ts';

function literal(text: string, glob = false): ArgValue {
  return { text, dynamic: false, glob };
}

function summary(text: string, cwd: WorkingDirectory = 'home', glob = false): string[] {
  const path = assessPath(literal(text, glob), cwd);
  return (['dynamic', 'system', 'topLevel', 'device', 'harmless', 'persistence', 'kernel'] as const).filter(
    (key) => path[key],
  );
}

describe('path assessment', () => {
  it('normalizeAbsolute - collapses //, . and .. without going above /', () => {
    expect(normalizeAbsolute('//etc/./nginx/../passwd')).toBe('/etc/passwd');
    expect(normalizeAbsolute('/../../x')).toBe('/x');
    expect(normalizeAbsolute('/')).toBe('/');
  });

  it.each([
    ['/', ['system', 'topLevel']],
    ['/etc/passwd', ['system']],
    ['/tmp/../etc/shadow', ['system']],
    ['/etc', ['system', 'topLevel']],
    ['/home', ['topLevel']],
    ['/home/deploy/app', []],
    ['/var/www/html/index.html', []],
    ['/var/log/syslog', ['system']],
    ['/var/lib/dpkg/status', ['system']],
    ['/var/tmp/x', []],
    ['/dev/null', ['harmless']],
    ['/dev/stderr', ['harmless']],
    ['/dev/fd/3', ['harmless']],
    ['/dev/sda', ['system', 'device']],
    ['/dev/nvme0n1p2', ['system', 'device']],
    ['/dev/mapper/vg-root', ['system', 'device']],
    ['/root/.ssh/authorized_keys', ['system', 'persistence']],
    ['~/.bashrc', ['persistence']],
    ['~root/.profile', ['system', 'persistence']],
    ['.ssh/authorized_keys', ['persistence']],
    ['notes.txt', []],
    ['/proc/sys/vm/drop_caches', ['kernel']],
    ['/proc/sysrq-trigger', ['system']],
  ])('assessPath - classifies %s from the home directory as %j', (path, expected) => {
    expect(summary(path)).toEqual(expected);
  });

  it('assessPath - resolves relative paths against a known directory', () => {
    expect(summary('passwd', '/etc')).toEqual(['system']);
    expect(summary('../etc/hosts', '/srv')).toEqual(['system']);
    expect(summary('app.log', '/srv/app')).toEqual([]);
  });

  it('assessPath - treats .. climbing out of the unknown home as possibly reaching / or a system path', () => {
    expect(summary('../../etc/passwd')).toEqual(['system']);
    expect(summary('../etc/passwd')).toEqual(['system']);
    expect(summary('../other-user/file')).toEqual([]);
  });

  it('assessPath - reports relative paths after an unknown cd, and expansions, as dynamic', () => {
    expect(summary('x', 'dynamic')).toEqual(['dynamic']);
    expect(
      assessPath({ text: '$HOME/.ssh/authorized_keys', dynamic: true, glob: false }, 'home'),
    ).toMatchObject({
      dynamic: true,
      persistence: true,
      system: false,
    });
  });

  it('assessPath - lets a glob count as system when its fixed prefix can lead into one', () => {
    expect(summary('/*', 'home', true)).toEqual(['system', 'topLevel']);
    expect(summary('/e*/passwd', 'home', true)).toEqual(['system']);
    expect(summary('/srv/app/*.log', 'home', true)).toEqual([]);
  });

  it('changeDirectory - follows literal cd targets and loses track of dynamic ones', () => {
    expect(changeDirectory('home', literal('/etc'))).toBe('/etc');
    expect(changeDirectory('/etc', literal('nginx/../ssh'))).toBe('/etc/ssh');
    expect(changeDirectory('/etc', undefined)).toBe('home');
    expect(changeDirectory('/etc', literal('~'))).toBe('home');
    expect(changeDirectory('/etc', literal('-'))).toBe('dynamic');
    expect(changeDirectory('home', literal('src'))).toBe('dynamic');
    expect(changeDirectory('/etc', { text: '$D', dynamic: true, glob: false })).toBe('dynamic');
  });
});
