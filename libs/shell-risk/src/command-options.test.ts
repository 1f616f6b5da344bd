import { describe, expect, it } from 'vitest';
import { hasOption, optionValue, parseOptions } from './command-options.ts';
import { literalArg, type ArgValue } from './word-value.ts';

function argv(...texts: string[]): ArgValue[] {
  return texts.map(literalArg);
}

describe('parseOptions', () => {
  it('parseOptions - splits short clusters and finds options after operands (GNU permutation)', () => {
    const parsed = parseOptions(argv('/', '-rf', 'x', '-v'));
    expect(parsed.options.map((option) => option.name)).toEqual(['r', 'f', 'v']);
    expect(parsed.operands.map((operand) => operand.text)).toEqual(['/', 'x']);
  });

  it('parseOptions - stops at -- and keeps a lone - as an operand', () => {
    const parsed = parseOptions(argv('-f', '--', '-rf', '-'));
    expect(parsed.options.map((option) => option.name)).toEqual(['f']);
    expect(parsed.operands.map((operand) => operand.text)).toEqual(['-rf', '-']);
  });

  it('parseOptions - takes values attached, separate and after = for value options', () => {
    const parsed = parseOptions(argv('-ofile', '-u', 'root', '--output=out', '--user', 'bob', 'rest'), {
      shortWithValue: 'ou',
      longWithValue: ['output', 'user'],
    });
    expect(optionValue(parsed, 'o', ['output'])?.text).toBe('out');
    expect(parsed.options.map((option) => [option.name, option.value?.text])).toEqual([
      ['o', 'file'],
      ['u', 'root'],
      ['output', 'out'],
      ['user', 'bob'],
    ]);
    expect(parsed.operands.map((operand) => operand.text)).toEqual(['rest']);
  });

  it('parseOptions - stops at the first operand for wrappers', () => {
    const parsed = parseOptions(argv('-u', 'root', 'ls', '-la'), {
      shortWithValue: 'u',
      stopAtOperand: true,
    });
    expect(parsed.operands.map((operand) => operand.text)).toEqual(['ls', '-la']);
    expect(parsed.operandIndex).toBe(2);
  });

  it('parseOptions - treats a dynamic word as an operand', () => {
    const parsed = parseOptions([{ text: '$FLAGS', dynamic: true, glob: false }, literalArg('-r')]);
    expect(parsed.operands.map((operand) => operand.text)).toEqual(['$FLAGS']);
    expect(hasOption(parsed, 'r')).toBe(true);
  });

  it('hasOption - matches GNU long-option abbreviations and nothing else', () => {
    expect(hasOption(parseOptions(argv('--rec')), '', ['recursive'])).toBe(true);
    expect(hasOption(parseOptions(argv('--r')), '', ['recursive'])).toBe(true);
    expect(hasOption(parseOptions(argv('--recursively')), '', ['recursive'])).toBe(false);
    expect(hasOption(parseOptions(argv('-R')), 'r', ['recursive'])).toBe(false);
  });

  it('optionValue - returns undefined when absent and null when a value option ends the line', () => {
    expect(optionValue(parseOptions(argv('-x')), 'o')).toBeUndefined();
    expect(optionValue(parseOptions(argv('-o'), { shortWithValue: 'o' }), 'o')).toBeNull();
  });
});
