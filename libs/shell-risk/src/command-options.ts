import type { ArgValue } from './word-value.ts';

/** How one program reads its options (getopt-style). */
export interface OptionSpec {
  /** Short options that take a value, attached (`-ofile`) or as the next word (`-o file`). */
  readonly shortWithValue?: string;
  /** Long options (no dashes) that take a value when it is not given with `=`. */
  readonly longWithValue?: readonly string[];
  /**
   * Stop at the first operand, as POSIX getopt and every command wrapper do (`sudo ls -l`: `-l`
   * belongs to `ls`). Without it, options after operands still count, as with GNU getopt's
   * argument permutation (`rm / -rf` is recursive).
   */
  readonly stopAtOperand?: boolean;
}

/** One option as given on the command line. */
export interface ParsedOption {
  /** The short letter, or the long name as typed (possibly abbreviated) without dashes. */
  readonly name: string;
  readonly long: boolean;
  readonly value: ArgValue | null;
}

/** Options and operands of one command. */
export interface ParsedArgs {
  readonly options: readonly ParsedOption[];
  readonly operands: readonly ArgValue[];
  /** Index in the argument list of the first operand (or of the end) when `stopAtOperand` is set. */
  readonly operandIndex: number;
}

/**
 * Splits arguments into options and operands. A dynamic word is an operand: its value is unknown
 * (callers flag `dynamic_argument` where that matters). `--` ends the options; a lone `-` is an operand.
 */
export function parseOptions(args: readonly ArgValue[], spec: OptionSpec = {}): ParsedArgs {
  const options: ParsedOption[] = [];
  const operands: ArgValue[] = [];
  const shortWithValue = spec.shortWithValue ?? '';
  const longWithValue = spec.longWithValue ?? [];
  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index] as ArgValue;
    const text = arg.text;
    if (arg.dynamic || text === '-' || !text.startsWith('-')) {
      if (spec.stopAtOperand === true) break;
      operands.push(arg);
      continue;
    }
    if (text === '--') {
      index++;
      break;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = text.slice(2, eq === -1 ? undefined : eq);
      if (eq !== -1) {
        options.push({ name, long: true, value: { ...arg, text: text.slice(eq + 1) } });
      } else if (longWithValue.some((candidate) => candidate === name || candidate.startsWith(name))) {
        const value = args[index + 1] ?? null;
        options.push({ name, long: true, value });
        index++;
      } else {
        options.push({ name, long: true, value: null });
      }
      continue;
    }
    for (let i = 1; i < text.length; i++) {
      const letter = text[i] as string;
      if (shortWithValue.includes(letter)) {
        const attached = text.slice(i + 1);
        if (attached !== '') {
          options.push({ name: letter, long: false, value: { ...arg, text: attached } });
        } else {
          options.push({ name: letter, long: false, value: args[index + 1] ?? null });
          index++;
        }
        break;
      }
      options.push({ name: letter, long: false, value: null });
    }
  }
  for (; index < args.length; index++) operands.push(args[index] as ArgValue);
  return {
    options,
    operands,
    operandIndex: spec.stopAtOperand === true ? args.length - operands.length : args.length,
  };
}

/**
 * True when any of the short letters or long names was given. Long names match GNU getopt
 * abbreviations (`--rec` is `--recursive`): a prefix is what the program itself accepts.
 */
export function hasOption(parsed: ParsedArgs, shorts: string, longs: readonly string[] = []): boolean {
  return parsed.options.some((option) => matches(option, shorts, longs));
}

/** The value of the last matching option, or `undefined` when it was not given. */
export function optionValue(
  parsed: ParsedArgs,
  shorts: string,
  longs: readonly string[] = [],
): ArgValue | null | undefined {
  let found: ArgValue | null | undefined;
  for (const option of parsed.options) if (matches(option, shorts, longs)) found = option.value;
  return found;
}

function matches(option: ParsedOption, shorts: string, longs: readonly string[]): boolean {
  if (!option.long) return shorts.includes(option.name);
  return option.name.length > 0 && longs.some((long) => long === option.name || long.startsWith(option.name));
}
