import { loadModule, parseSync } from 'libpg-query';
import { defaultCopyOptions, type CopyOptions } from './copy-options.ts';

/** Where a COPY ... TO STDOUT reads its rows from. */
export interface CopySource {
  /** `COPY relation [(columns)] TO`: the relation and the listed columns (undefined: all). */
  readonly relation: { readonly schema: string | undefined; readonly name: string } | undefined;
  readonly columnList: readonly string[] | undefined;
  /** True for `COPY (query) TO`: columns cannot be traced to a table. */
  readonly query: boolean;
  readonly options: CopyOptions;
}

/** A COPY statement masking cannot read: the edge refuses the COPY with this text. */
export class CopyStatementError extends Error {
  override readonly name = 'CopyStatementError';
}

type Node = Record<string, unknown>;

/**
 * Reads the relation, column list and format options of the n-th `COPY ... TO STDOUT` of a
 * statement text with PostgreSQL's own parser (libpg-query), so the CopyData rows can be split
 * into fields exactly as the server wrote them.
 */
export class CopyStatementParser {
  private constructor() {}

  /** Loads the parser (WASM, once per process). */
  static async create(): Promise<CopyStatementParser> {
    await loadModule();
    return new CopyStatementParser();
  }

  /** The `index`-th COPY TO STDOUT of `text`; throws CopyStatementError when there is none. */
  source(text: string, index: number): CopySource {
    let parsed: { stmts?: { stmt?: Node }[] };
    try {
      parsed = parseSync(text) as typeof parsed;
    } catch {
      throw new CopyStatementError('the COPY statement could not be parsed');
    }
    const copies = (parsed.stmts ?? [])
      .map((raw) => raw.stmt?.['CopyStmt'] as Node | undefined)
      .filter((copy): copy is Node => copy !== undefined && copy['is_from'] !== true);
    const copy = copies[index];
    if (copy === undefined)
      throw new CopyStatementError(`the statement has no COPY ... TO number ${index + 1}`);
    const relation = copy['relation'] as { schemaname?: string; relname?: string } | undefined;
    const attlist = copy['attlist'] as Node[] | undefined;
    return {
      relation:
        relation?.relname === undefined ? undefined : { schema: relation.schemaname, name: relation.relname },
      columnList: attlist?.map((item) => stringValue(item) ?? ''),
      query: copy['query'] !== undefined,
      options: readOptions((copy['options'] as Node[] | undefined) ?? []),
    };
  }
}

function readOptions(items: readonly Node[]): CopyOptions {
  const named = new Map<string, Node | undefined>();
  for (const item of items) {
    const element = item['DefElem'] as { defname: string; arg?: Node } | undefined;
    if (element) named.set(element.defname, element.arg);
  }
  const format = named.has('format') ? stringValue(named.get('format')) : 'text';
  if (format !== 'text' && format !== 'csv' && format !== 'binary') {
    throw new CopyStatementError(`COPY format ${JSON.stringify(format)} is not supported`);
  }
  const options = { ...defaultCopyOptions(format) } as { -readonly [K in keyof CopyOptions]: CopyOptions[K] };
  const text = (name: string): string | undefined =>
    named.has(name) ? (stringValue(named.get(name)) ?? '') : undefined;
  options.delimiter = text('delimiter') ?? options.delimiter;
  options.nullString = text('null') ?? options.nullString;
  options.quote = text('quote') ?? options.quote;
  options.escape = text('escape') ?? options.quote;
  if (named.has('header')) options.header = booleanValue(named.get('header'));
  const force = named.get('force_quote');
  if (force !== undefined) {
    options.forceQuote = 'A_Star' in force ? '*' : listOf(force).map((item) => stringValue(item) ?? '');
  }
  if (
    [...options.delimiter].length !== 1 ||
    [...options.quote].length !== 1 ||
    [...options.escape].length !== 1
  ) {
    throw new CopyStatementError('COPY delimiter, quote and escape must be single characters');
  }
  return options;
}

function stringValue(node: Node | undefined): string | undefined {
  const string = node?.['String'] as { sval?: string } | undefined;
  if (string) return string.sval ?? '';
  return undefined;
}

function booleanValue(node: Node | undefined): boolean {
  if (node === undefined) return true;
  const boolean = node['Boolean'] as { boolval?: boolean } | undefined;
  if (boolean) return boolean.boolval === true;
  const integer = node['Integer'] as { ival?: number } | undefined;
  if (integer) return (integer.ival ?? 0) !== 0;
  const text = stringValue(node)?.toLowerCase();
  return text === 'true' || text === 'on' || text === 'yes' || text === '1';
}

function listOf(node: Node): Node[] {
  const list = node['List'] as { items?: Node[] } | undefined;
  return list?.items ?? [node];
}
