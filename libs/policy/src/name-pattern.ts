/** Tests one name against a compiled list of exact names or glob patterns. */
export interface NamePattern {
  /** True when `name` matches at least one of the patterns. */
  matches(name: string): boolean;
}

/** Options for {@link compileGlobs}. */
export interface GlobOptions {
  /** Compare without regard to case (relations and functions: PostgreSQL folds unquoted names). */
  readonly ignoreCase: boolean;
}

const WILDCARD = /[*?]/;

/** Exact names only: one Set lookup per name. */
export function compileExact(names: readonly string[]): NamePattern {
  const set: ReadonlySet<string> = new Set(names);
  return { matches: (name) => set.has(name) };
}

/**
 * Compiles glob patterns once: `*` matches any run of characters (dots included), `?` one
 * character, everything else is literal. Literal patterns go to a Set and the rest become one
 * anchored alternation, so a name costs one lookup and at most one regex test.
 */
export function compileGlobs(patterns: readonly string[], options: GlobOptions): NamePattern {
  const fold = options.ignoreCase ? (text: string) => text.toLowerCase() : (text: string) => text;
  const literals = new Set<string>();
  const sources: string[] = [];
  for (const pattern of patterns) {
    if (!WILDCARD.test(pattern)) {
      literals.add(fold(pattern));
      continue;
    }
    let source = '';
    for (const char of pattern) {
      if (char === '*') source += '[\\s\\S]*';
      else if (char === '?') source += '[\\s\\S]';
      else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
    }
    sources.push(source);
  }
  const regex =
    sources.length === 0
      ? undefined
      : new RegExp(`^(?:${sources.join('|')})$`, options.ignoreCase ? 'iu' : 'u');
  if (regex === undefined) return { matches: (name) => literals.has(fold(name)) };
  if (literals.size === 0) return { matches: (name) => regex.test(name) };
  return { matches: (name) => literals.has(fold(name)) || regex.test(name) };
}
