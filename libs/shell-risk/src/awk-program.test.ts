import { describe, expect, it } from 'vitest';
import { scanAwkProgram } from './awk-program.ts';

describe('scanAwkProgram', () => {
  it.each([
    ['{ print $1 }', { executes: false, writes: [], dynamicWrite: false }],
    ['$3 > 100 { print $1 }', { executes: false, writes: [], dynamicWrite: false }],
    ['$1 ~ /a|b/ || $2 == "x|y"', { executes: false, writes: [], dynamicWrite: false }],
    ['{ n = $1 / 2; print n }', { executes: false, writes: [], dynamicWrite: false }],
    ['{ print ($1 > 2) }', { executes: false, writes: [], dynamicWrite: false }],
    ['# system("id")\n{ print }', { executes: false, writes: [], dynamicWrite: false }],
    ['{ print > "out.txt" }', { executes: false, writes: ['out.txt'], dynamicWrite: false }],
    [
      '{ printf "%s\\n", $0 >> "/var/log/x" }',
      { executes: false, writes: ['/var/log/x'], dynamicWrite: false },
    ],
    ['{ print > $2 ".txt" }', { executes: false, writes: [], dynamicWrite: true }],
    ['BEGIN { system("id") }', { executes: true, writes: [], dynamicWrite: false }],
    ['{ print | "sh" }', { executes: true, writes: [], dynamicWrite: false }],
    ['{ "date" | getline d }', { executes: true, writes: [], dynamicWrite: false }],
    ['@load "filefuncs"', { executes: true, writes: [], dynamicWrite: false }],
  ])('scanAwkProgram - reads %j', (program, expected) => {
    expect(scanAwkProgram(program)).toEqual(expected);
  });
});
