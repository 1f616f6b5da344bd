/** Stream editors and searchers whose scripts or options may write files or run commands. */
import { scanAwkProgram } from '../awk-program.ts';
import { hasOption, optionValue, parseOptions } from '../command-options.ts';
import { outcome, raise, verdict, writeTargets, type CommandRule } from '../command-rule.ts';
import { scanSedScript } from '../sed-script.ts';
import { literalArg } from '../word-value.ts';

/**
 * sed: read-only unless `-i` (in place: write to its file operands), or its script writes (`w`)
 * or executes (`e`). A script from `-f FILE` is not visible: unknown, unless `--sandbox` forbids
 * `e`/`w`/`r`.
 */
const sed: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'efl',
    longWithValue: ['expression', 'file', 'line-length'],
  });
  const inPlace = hasOption(parsed, 'i', ['in-place']);
  const sandbox = hasOption(parsed, '', ['sandbox']);
  const expressions = parsed.options.filter(
    (option) => option.name === 'e' || (option.long && 'expression'.startsWith(option.name)),
  );
  const files = [...parsed.operands];
  let script = expressions.map((option) => option.value?.text ?? '').join('\n');
  const dynamicScript = expressions.some((option) => option.value === null || option.value.dynamic);
  if (expressions.length === 0 && !hasOption(parsed, 'f', ['file'])) {
    const first = files.shift();
    if (first === undefined) return outcome('unknown', 'sed', 'unparsable');
    if (first.dynamic) return outcome('unknown', 'sed', 'dynamic_command');
    script = first.text;
  }
  let result = inPlace ? writeTargets(verdict('write', 'sed -i'), files, cwd) : verdict('read', 'sed');
  if (sandbox) return { verdict: result };
  if (hasOption(parsed, 'f', ['file']) || dynamicScript) return outcome('unknown', 'sed', 'dynamic_command');
  const effects = scanSedScript(script);
  if (effects.executes || effects.unparsed)
    return outcome('unknown', 'sed', effects.executes ? 'dynamic_command' : 'unparsable');
  if (effects.writes.length > 0) {
    result = writeTargets(raise(result, 'write', 'redirect_write'), effects.writes.map(literalArg), cwd);
  }
  return { verdict: result };
};

/**
 * awk: read-only unless its program writes (`print > file`) or runs commands (`system()`,
 * pipes). Programs from `-f`, extensions (`-l`) and includes (`-i` other than gawk's
 * `inplace`, which writes its operands) are not visible. `--sandbox` forbids all of it.
 */
const awk: CommandRule = ({ program, args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'FvfeilE',
    longWithValue: ['field-separator', 'assign', 'file', 'source', 'include', 'load', 'exec'],
  });
  const sandbox = hasOption(parsed, 'S', ['sandbox']);
  const includes = parsed.options.filter(
    (option) => option.name === 'i' || (option.long && 'include'.startsWith(option.name)),
  );
  const inPlace = includes.some((option) => option.value?.text === 'inplace');
  if (
    includes.some((option) => option.value?.text !== 'inplace') ||
    hasOption(parsed, 'flE', ['file', 'load', 'exec'])
  ) {
    return outcome('unknown', program, 'dynamic_command');
  }
  const sources = parsed.options.filter(
    (option) => option.name === 'e' || (option.long && 'source'.startsWith(option.name)),
  );
  const operands = [...parsed.operands];
  const texts = sources.map((option) => option.value);
  if (sources.length === 0) texts.push(operands.shift() ?? null);
  if (texts.some((text) => text === null || text.dynamic))
    return outcome('unknown', program, 'dynamic_command');
  // Operands of the form var=value are assignments, not files.
  const files = operands.filter((operand) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(operand.text));
  let result = inPlace
    ? writeTargets(verdict('write', `${program} -i inplace`), files, cwd)
    : verdict('read', program);
  if (sandbox) return { verdict: result };
  const effects = scanAwkProgram(texts.map((text) => text?.text ?? '').join('\n'));
  if (effects.executes) return outcome('unknown', program, 'dynamic_command');
  if (effects.writes.length > 0 || effects.dynamicWrite) {
    result = writeTargets(raise(result, 'write', 'redirect_write'), effects.writes.map(literalArg), cwd);
    if (effects.dynamicWrite) result = raise(result, 'write', 'dynamic_argument');
  }
  return { verdict: result };
};

/** ripgrep `--pre CMD` runs CMD on every file. */
const rg: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { longWithValue: ['pre'] });
  const pre = optionValue(parsed, '', ['pre']);
  return pre === undefined ? outcome('read', 'rg') : outcome('unknown', 'rg', 'dynamic_command');
};

/** Rules for stream editors and searchers. */
export const TEXT_RULES: ReadonlyMap<string, CommandRule> = new Map<string, CommandRule>([
  ['sed', sed],
  ['gsed', sed],
  ['awk', awk],
  ['gawk', awk],
  ['mawk', awk],
  ['nawk', awk],
  ['rg', rg],
]);
