import type { NamePattern } from './name-pattern.ts';
import type { SetMatch } from './policy-document.ts';

/**
 * A compiled condition on a set of reported names (kinds, flags, relations, functions): `any`
 * (at least one matches), `none` (no name matches) and `only` (every name matches), all of
 * which must hold when present.
 */
export class CompiledSetMatch {
  constructor(
    private readonly any: NamePattern | undefined,
    private readonly none: NamePattern | undefined,
    private readonly only: NamePattern | undefined,
  ) {}

  /** True when `names` satisfies every part of the condition. */
  test(names: readonly string[]): boolean {
    if (this.any !== undefined && !names.some((name) => this.any!.matches(name))) return false;
    if (this.none !== undefined && names.some((name) => this.none!.matches(name))) return false;
    if (this.only !== undefined && !names.every((name) => this.only!.matches(name))) return false;
    return true;
  }
}

/** Compiles a document's set condition with `compile` turning a pattern list into a matcher. */
export function compileSetMatch(
  spec: SetMatch,
  compile: (patterns: readonly string[]) => NamePattern,
): CompiledSetMatch {
  if (isList(spec)) return new CompiledSetMatch(compile(spec), undefined, undefined);
  return new CompiledSetMatch(
    spec.any === undefined ? undefined : compile(spec.any),
    spec.none === undefined ? undefined : compile(spec.none),
    spec.only === undefined ? undefined : compile(spec.only),
  );
}

function isList(spec: SetMatch): spec is readonly string[] {
  return Array.isArray(spec);
}
