import { functionEffect } from './function-effects.ts';
import type { PgNode, PgParser } from './pg-parser.ts';
import {
  asNode,
  asNodeList,
  dottedName,
  nodeType,
  relationAliases,
  relationName,
  stringValue,
} from './pg-node.ts';
import { assignmentExpression, EmbeddedSqlMode, readPlPgSqlBlock } from './plpgsql-block.ts';
import type { RiskClass } from './risk-class.ts';
import type { RiskFlag } from './risk-flag.ts';
import { isSensitiveSetting } from './sensitive-settings.ts';
import { StatementFacts } from './statement-facts.ts';
import type { StatementKind } from './statement-kind.ts';
import { restrictsNothing } from './where-clause.ts';

/** What the walk may consult besides the tree. */
export interface WalkEnvironment {
  readonly parser: PgParser;
  readonly preparedStatements: ReadonlyMap<string, string> | undefined;
}

/** CTE names visible at a point of the tree (innermost first). */
interface CteScope {
  readonly names: ReadonlySet<string>;
  readonly parent: CteScope | undefined;
}

interface WalkContext {
  readonly facts: StatementFacts;
  readonly env: WalkEnvironment;
  readonly ctes: CteScope | undefined;
  /** PL/pgSQL variables in scope (inside DO bodies). */
  readonly variables: ReadonlySet<string>;
  /** How many texts deep we are (DO inside DO, EXECUTE of a prepared statement). */
  readonly nesting: number;
}

/**
 * Handles one node type. `asStatement` is true where the node stands as a statement of its own
 * (top level, CTE body, EXPLAIN/PREPARE/COPY/DECLARE target) rather than as a subquery.
 */
type NodeHandler = (fields: PgNode, ctx: WalkContext, asStatement: boolean) => void;

const NO_VARIABLES: ReadonlySet<string> = new Set();
// DO inside DO inside ... is legal but never needed; bound the recursion through re-parsed text.
const MAX_NESTING = 8;

/**
 * Classifies one top-level statement (a `RawStmt.stmt` wrapper) by walking its whole tree.
 * Throws only on internal failure (a RangeError for a tree too deep to walk).
 */
export function walkTopLevelStatement(statement: PgNode, env: WalkEnvironment): StatementFacts {
  const facts = new StatementFacts();
  walkStatement(statement, { facts, env, ctes: undefined, variables: NO_VARIABLES, nesting: 0 });
  return facts;
}

function walkStatement(statement: unknown, ctx: WalkContext): void {
  const node = asNode(statement);
  if (node === undefined) return;
  const type = nodeType(node);
  const handler = type === undefined ? undefined : HANDLERS.get(type);
  const fields = type === undefined ? undefined : asNode(node[type]);
  if (handler === undefined || fields === undefined || !STATEMENT_TYPES.has(type ?? '')) {
    ctx.facts.kind('unknown');
    ctx.facts.raise('unknown', 'unknown_statement');
    visit(node, ctx);
    return;
  }
  handler(fields, ctx, true);
}

/** Generic traversal: dispatches known node types, descends into everything else. */
function visit(value: unknown, ctx: WalkContext): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, ctx);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as PgNode;
  for (const key in record) visitChild(key, record[key], ctx);
}

/** Visits the value of field (or wrapper key) `key`. */
function visitChild(key: string, child: unknown, ctx: WalkContext): void {
  if (child === null || typeof child !== 'object') return;
  const handler = HANDLERS.get(key);
  if (handler !== undefined) {
    handler(child as PgNode, ctx, false);
  } else if (!Array.isArray(child) && typeof (child as PgNode).relname === 'string') {
    // A bare RangeVar (the parent field implies the type), e.g. a foreign key's table.
    readRelation(child as PgNode, ctx);
  } else {
    visit(child, ctx);
  }
}

/** Visits every field of `fields` except those in `skip`. */
function visitFields(fields: PgNode, ctx: WalkContext, skip: ReadonlySet<string>): void {
  for (const key in fields) if (!skip.has(key)) visitChild(key, fields[key], ctx);
}

function readRelation(rangeVar: PgNode, ctx: WalkContext): void {
  if (
    rangeVar.schemaname === undefined &&
    typeof rangeVar.relname === 'string' &&
    isCte(rangeVar.relname, ctx)
  ) {
    return;
  }
  ctx.facts.read.add(relationName(rangeVar));
}

function writeRelation(rangeVar: unknown, ctx: WalkContext): void {
  const node = asNode(rangeVar);
  if (node !== undefined && typeof node.relname === 'string') ctx.facts.written.add(relationName(node));
}

// CTE names are compared exactly as the parser folded them: `WITH "Customers" AS (...)` does not
// hide a read of the table `customers`.
function isCte(name: string, ctx: WalkContext): boolean {
  for (let scope = ctx.ctes; scope !== undefined; scope = scope.parent)
    if (scope.names.has(name)) return true;
  return false;
}

/**
 * Walks a WITH clause and returns the context for the statement body. Without RECURSIVE a CTE
 * sees only the CTEs before it, so `WITH t AS (SELECT * FROM t)` reads the table `t`.
 */
function enterWith(fields: PgNode, ctx: WalkContext): WalkContext {
  const withClause = asNode(fields.withClause);
  if (withClause === undefined) return ctx;
  const ctes = asNodeList(withClause.ctes);
  const recursive = withClause.recursive === true;
  const names = new Set<string>();
  const inner: WalkContext = { ...ctx, ctes: { names, parent: ctx.ctes } };
  const cteName = (cte: unknown): string | undefined => {
    const name = asNode(asNode(cte)?.CommonTableExpr)?.ctename;
    return typeof name === 'string' ? name : undefined;
  };
  if (recursive) for (const cte of ctes) names.add(cteName(cte) ?? '');
  for (const cte of ctes) {
    const query = asNode(asNode(asNode(cte)?.CommonTableExpr)?.ctequery);
    if (query !== undefined && MODIFYING.has(nodeType(query) ?? '')) ctx.facts.raise('read', 'writable_cte');
    walkStatement(query, inner);
    if (!recursive) names.add(cteName(cte) ?? '');
  }
  return inner;
}

const MODIFYING: ReadonlySet<string> = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Flags an UPDATE/DELETE whose WHERE does not restrict the rows of `target`. */
function checkWhere(predicate: unknown, target: unknown, ctx: WalkContext): void {
  const targetNode = asNode(target);
  const scope = {
    targetNames: targetNode === undefined ? new Set<string>() : relationAliases(targetNode),
    variables: ctx.variables,
  };
  if (predicate === undefined) {
    ctx.facts.raise('destructive', 'write_without_where');
  } else if (restrictsNothing(predicate, scope)) {
    ctx.facts.raise('destructive', 'write_without_where', 'tautological_where');
  }
}

function hasReturning(fields: PgNode): boolean {
  const clause = asNode(fields.returningClause);
  return asNodeList(clause?.exprs).length > 0 || asNodeList(fields.returningList).length > 0;
}

/** The target of INSERT/UPDATE/DELETE/MERGE is written; with RETURNING its rows are also read. */
function writeTarget(fields: PgNode, ctx: WalkContext): void {
  writeRelation(fields.relation, ctx);
  const relation = asNode(fields.relation);
  if (relation !== undefined && hasReturning(fields)) ctx.facts.read.add(relationName(relation));
}

/** libpg-query omits false/zero values, so an absent argument is the default. */
function defElemEnabled(defElem: PgNode): boolean {
  const arg = asNode(defElem.arg);
  if (arg === undefined) return true;
  const text = stringValue(arg);
  if (text !== undefined) return !['false', 'off', '0', 'no'].includes(text.toLowerCase());
  const integer = asNode(arg.Integer);
  if (integer !== undefined) return integer.ival !== undefined && integer.ival !== 0;
  const boolean = asNode(arg.Boolean);
  if (boolean !== undefined) return boolean.boolval === true;
  return true;
}

function defElems(list: unknown): PgNode[] {
  const result: PgNode[] = [];
  for (const item of asNodeList(list)) {
    const fields = asNode(asNode(item)?.DefElem);
    if (fields !== undefined) result.push(fields);
  }
  return result;
}

/** Parses `text` (a prepared statement, a DO body statement) and walks every statement in it. */
function walkText(text: string, ctx: WalkContext): void {
  if (ctx.nesting >= MAX_NESTING) {
    ctx.facts.raise('unknown', 'too_complex');
    return;
  }
  let statements;
  try {
    statements = ctx.env.parser.parse(text).stmts ?? [];
  } catch {
    ctx.facts.raise('unknown', 'unparsable');
    return;
  }
  const inner = { ...ctx, nesting: ctx.nesting + 1 };
  for (const raw of statements) walkStatement(raw.stmt, inner);
}

/** Parses a PL/pgSQL expression as `SELECT <expr>` and walks it without counting a SELECT. */
function walkExpression(text: string, ctx: WalkContext): void {
  let statements;
  try {
    statements = ctx.env.parser.parse(`SELECT ${text}`).stmts ?? [];
  } catch {
    ctx.facts.raise('unknown', 'unparsable');
    return;
  }
  for (const raw of statements) visit(raw.stmt, { ...ctx, nesting: ctx.nesting + 1 });
}

const SELECT_SKIP: ReadonlySet<string> = new Set(['withClause', 'intoClause', 'larg', 'rarg']);
const DML_SKIP: ReadonlySet<string> = new Set(['withClause', 'relation', 'selectStmt', 'whereClause']);

const select: NodeHandler = (fields, ctx, asStatement) => {
  // Subqueries are part of their statement; only a SELECT standing as a statement is a `select`.
  if (asStatement) ctx.facts.kind('select');
  const inner = enterWith(fields, ctx);
  const into = asNode(fields.intoClause);
  if (into !== undefined) {
    ctx.facts.raise('write', 'select_into');
    writeRelation(into.rel, ctx);
  }
  if (asNodeList(fields.lockingClause).length > 0) ctx.facts.raise('write', 'row_lock');
  const larg = asNode(fields.larg);
  const rarg = asNode(fields.rarg);
  if (larg !== undefined) select(larg, inner, false);
  if (rarg !== undefined) select(rarg, inner, false);
  visitFields(fields, inner, SELECT_SKIP);
};

const insert: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('insert');
  ctx.facts.raise('write');
  const inner = enterWith(fields, ctx);
  writeTarget(fields, ctx);
  const source = asNode(asNode(fields.selectStmt)?.SelectStmt);
  if (source !== undefined) select(source, inner, false);
  visitFields(fields, inner, DML_SKIP);
};

const update: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('update');
  ctx.facts.raise('write');
  const inner = enterWith(fields, ctx);
  writeTarget(fields, ctx);
  checkWhere(fields.whereClause, fields.relation, ctx);
  visit(fields.whereClause, inner);
  visitFields(fields, inner, DML_SKIP);
};

const remove: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('delete');
  ctx.facts.raise('write');
  const inner = enterWith(fields, ctx);
  writeTarget(fields, ctx);
  checkWhere(fields.whereClause, fields.relation, ctx);
  visit(fields.whereClause, inner);
  visitFields(fields, inner, DML_SKIP);
};

/**
 * MERGE writes its target. An UPDATE/DELETE action hits every target row when the join condition
 * and the action's own condition do not restrict the target (`ON true`), and a
 * `WHEN NOT MATCHED BY SOURCE` action hits every target row missing from the source unless its
 * condition restricts the target.
 */
const merge: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('merge');
  ctx.facts.raise('write');
  const inner = enterWith(fields, ctx);
  writeTarget(fields, ctx);
  const target = asNode(fields.relation);
  const scope = {
    targetNames: target === undefined ? new Set<string>() : relationAliases(target),
    variables: ctx.variables,
  };
  for (const clause of asNodeList(fields.mergeWhenClauses)) {
    const when = asNode(asNode(clause)?.MergeWhenClause);
    if (when === undefined || (when.commandType !== 'CMD_UPDATE' && when.commandType !== 'CMD_DELETE'))
      continue;
    const bySource = when.matchKind === 'MERGE_WHEN_NOT_MATCHED_BY_SOURCE';
    const joinUnrestricted = bySource || restrictsNothing(fields.joinCondition, scope);
    if (joinUnrestricted && restrictsNothing(when.condition, scope)) {
      ctx.facts.raise('destructive', 'write_without_where');
      if (when.condition !== undefined || !bySource) ctx.facts.raise('destructive', 'tautological_where');
    }
  }
  visitFields(fields, inner, DML_SKIP);
};

const copy: NodeHandler = (fields, ctx) => {
  const from = fields.is_from === true;
  ctx.facts.kind(from ? 'copy_from' : 'copy_to');
  if (fields.relation !== undefined) {
    if (from) {
      ctx.facts.raise('write');
      writeRelation(fields.relation, ctx);
    } else {
      readRelation(fields.relation as PgNode, ctx);
    }
  }
  // COPY (query) TO: the query runs, so `COPY (DELETE FROM t RETURNING *) TO STDOUT` deletes.
  if (fields.query !== undefined) walkStatement(fields.query, ctx);
  if (fields.is_program === true) ctx.facts.raise('destructive', 'copy_program');
  else if (typeof fields.filename === 'string') {
    // Reading a server file discloses it; writing one can overwrite anything the server owns.
    ctx.facts.raise(from ? 'admin' : 'destructive', 'copy_file');
  }
  visitFields(fields, ctx, COPY_SKIP);
};
const COPY_SKIP: ReadonlySet<string> = new Set(['relation', 'query']);

const explain: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('explain');
  const analyze = defElems(fields.options).some(
    (option) => option.defname === 'analyze' && defElemEnabled(option),
  );
  if (analyze) {
    ctx.facts.raise('read', 'explain_analyze');
    walkStatement(fields.query, ctx);
    return;
  }
  // Plain EXPLAIN only plans: report what it names, but nothing it would do.
  const shadow = new StatementFacts();
  walkStatement(fields.query, { ...ctx, facts: shadow });
  for (const relation of shadow.read) ctx.facts.read.add(relation);
  for (const relation of shadow.written) ctx.facts.read.add(relation);
  for (const name of shadow.functions) ctx.facts.functions.add(name);
  ctx.facts.maxParam = Math.max(ctx.facts.maxParam, shadow.maxParam);
};

const doBlock: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('do');
  let language = 'plpgsql';
  let body = '';
  for (const option of defElems(fields.args)) {
    if (option.defname === 'language') language = (stringValue(option.arg) ?? '').toLowerCase();
    if (option.defname === 'as') body = stringValue(option.arg) ?? '';
  }
  if (language !== 'plpgsql') {
    ctx.facts.raise('unknown', 'opaque_code');
    return;
  }
  if (ctx.nesting >= MAX_NESTING) {
    ctx.facts.raise('unknown', 'too_complex');
    return;
  }
  let block;
  try {
    block = readPlPgSqlBlock(ctx.env.parser, body);
  } catch {
    ctx.facts.raise('unknown', 'unparsable');
    return;
  }
  if (block.dynamic) ctx.facts.raise('unknown', 'dynamic_sql');
  if (block.transactionControl) {
    ctx.facts.kind('transaction');
    ctx.facts.raise('read', 'transaction_control');
  }
  const inner: WalkContext = { ...ctx, variables: new Set([...ctx.variables, ...block.variables]) };
  for (const embedded of block.embedded) {
    switch (embedded.mode) {
      case EmbeddedSqlMode.Statement:
        walkText(embedded.text, inner);
        break;
      case EmbeddedSqlMode.TypeName:
        break;
      case EmbeddedSqlMode.Expression:
        walkExpression(embedded.text, inner);
        break;
      case EmbeddedSqlMode.Assign1:
      case EmbeddedSqlMode.Assign2:
      case EmbeddedSqlMode.Assign3: {
        const expression = assignmentExpression(embedded.text);
        if (expression === undefined) ctx.facts.raise('unknown', 'opaque_code');
        else walkExpression(expression, inner);
        break;
      }
      default:
        ctx.facts.raise('unknown', 'opaque_code');
    }
  }
};

const execute: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('execute');
  visit(fields.params, ctx);
  const text = typeof fields.name === 'string' ? ctx.env.preparedStatements?.get(fields.name) : undefined;
  if (text === undefined) ctx.facts.raise('unknown', 'opaque_code');
  else walkText(text, ctx);
};

const call: NodeHandler = (fields, ctx) => {
  // A procedure can do anything, including COMMIT; its body is not visible here.
  ctx.facts.kind('call');
  ctx.facts.raise('unknown', 'opaque_code');
  const funccall = asNode(fields.funccall);
  if (funccall !== undefined) functionCall(funccall, ctx, false);
};

const functionCall: NodeHandler = (fields, ctx) => {
  const name = dottedName(fields.funcname);
  ctx.facts.functions.add(name);
  const effect = functionEffect(name.slice(name.lastIndexOf('.') + 1));
  if (effect !== undefined) ctx.facts.raise(effect.riskClass, ...effect.flags);
  visitFields(fields, ctx, FUNCNAME_SKIP);
};
const FUNCNAME_SKIP: ReadonlySet<string> = new Set(['funcname']);

const transaction: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('transaction');
  ctx.facts.raise('read', 'transaction_control');
  // Two-phase commit leaves (or settles) transactions outliving the session: operator work.
  if (typeof fields.kind === 'string' && fields.kind.includes('PREPARE')) ctx.facts.raise('admin');
  checkReadOnlyOptions(fields.options, ctx);
};

/** BEGIN READ WRITE / SET TRANSACTION READ WRITE escape a read-only default. */
function checkReadOnlyOptions(options: unknown, ctx: WalkContext): void {
  for (const option of defElems(options)) {
    if (option.defname !== 'transaction_read_only') continue;
    const value = asNode(asNode(asNode(option.arg)?.A_Const)?.ival)?.ival;
    if (value !== 1) ctx.facts.raise('admin', 'sensitive_set');
  }
}

const variableSet: NodeHandler = (fields, ctx) => {
  const reset = fields.kind === 'VAR_RESET' || fields.kind === 'VAR_RESET_ALL';
  ctx.facts.kind(reset ? 'reset' : 'set');
  if (fields.kind === 'VAR_RESET_ALL') {
    // RESET ALL also resets read-only mode, search_path and every custom setting.
    ctx.facts.raise('admin', 'sensitive_set');
    return;
  }
  if (fields.kind === 'VAR_SET_MULTI') {
    checkReadOnlyOptions(fields.args, ctx);
    return;
  }
  const name = typeof fields.name === 'string' ? fields.name : '';
  if (isSensitiveSetting(name)) ctx.facts.raise('admin', 'sensitive_set');
  if (name === 'role') ctx.facts.raise('admin', 'set_role');
  if (name === 'session_authorization') ctx.facts.raise('admin', 'session_authorization');
};

const discard: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('discard');
  // DISCARD ALL = SET SESSION AUTHORIZATION DEFAULT + RESET ALL + ...
  if (fields.target === 'DISCARD_ALL') ctx.facts.raise('admin', 'sensitive_set', 'session_authorization');
};

const vacuum: NodeHandler = (fields, ctx) => {
  ctx.facts.kind(fields.is_vacuumcmd === true ? 'vacuum' : 'analyze');
  ctx.facts.raise('admin');
  for (const item of asNodeList(fields.rels))
    writeRelation(asNode(asNode(item)?.VacuumRelation)?.relation, ctx);
};

/** Statements whose listed relations are all written (TRUNCATE, LOCK, GRANT ... ON TABLE). */
function writeListedRelations(list: unknown, ctx: WalkContext): void {
  for (const item of asNodeList(list)) writeRelation(asNode(item)?.RangeVar, ctx);
}

const TABLE_LIKE_DROPS: ReadonlySet<string> = new Set([
  'OBJECT_TABLE',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_FOREIGN_TABLE',
  'OBJECT_SEQUENCE',
  'OBJECT_INDEX',
]);

const dropObjects: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('drop');
  ctx.facts.raise('destructive', 'drop', 'ddl');
  if (typeof fields.removeType === 'string' && TABLE_LIKE_DROPS.has(fields.removeType)) {
    for (const object of asNodeList(fields.objects))
      ctx.facts.written.add(dottedName(asNode(asNode(object)?.List)?.items));
  }
};

const grant: NodeHandler = (fields, ctx) => {
  const isGrant = fields.is_grant === true;
  ctx.facts.kind(isGrant ? 'grant' : 'revoke');
  ctx.facts.raise('admin', 'grant');
  if (fields.objtype === 'OBJECT_TABLE' || fields.objtype === 'OBJECT_SEQUENCE')
    writeListedRelations(fields.objects, ctx);
};

const alterTable: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('alter');
  ctx.facts.raise('admin', 'ddl');
  writeRelation(fields.relation, ctx);
  for (const command of asNodeList(fields.cmds)) {
    if (asNode(asNode(command)?.AlterTableCmd)?.subtype === 'AT_DropColumn')
      ctx.facts.raise('destructive', 'drop');
  }
  visitFields(fields, ctx, RELATION_SKIP);
};
const RELATION_SKIP: ReadonlySet<string> = new Set(['relation']);

const createTableAs: NodeHandler = (fields, ctx) => {
  ctx.facts.kind('create');
  ctx.facts.raise('write', 'create_table_as');
  writeRelation(asNode(fields.into)?.rel, ctx);
  walkStatement(fields.query, ctx);
};

/** A statement of fixed kind and class; bare relations among its direct fields are written. */
function fixed(kind: StatementKind, riskClass: RiskClass, ...flags: RiskFlag[]): NodeHandler {
  return (fields, ctx) => {
    ctx.facts.kind(kind);
    ctx.facts.raise(riskClass, ...flags);
    for (const key in fields) {
      const child = asNode(fields[key]);
      if (child !== undefined && typeof child.relname === 'string') {
        writeRelation(child, ctx);
      } else if (key === 'base' && child !== undefined) {
        // CREATE FOREIGN TABLE nests its CreateStmt (and the table it creates) as `base`.
        writeRelation(child.relation, ctx);
        visitFields(child, ctx, RELATION_SKIP);
      } else {
        visitChild(key, fields[key], ctx);
      }
    }
  };
}

/** A statement wrapping one statement-position query (PREPARE, DECLARE CURSOR). */
function wrapping(kind: StatementKind): NodeHandler {
  return (fields, ctx) => {
    ctx.facts.kind(kind);
    walkStatement(fields.query, ctx);
  };
}

const ddlCreate = fixed('create', 'admin', 'ddl');
const ddlAlter = fixed('alter', 'admin', 'ddl');
const ddlDrop = fixed('drop', 'destructive', 'drop', 'ddl');
const roleDdl = fixed('role', 'admin', 'role_ddl');
const noop: NodeHandler = () => undefined;

const STATEMENT_HANDLERS: ReadonlyArray<readonly [string, NodeHandler]> = [
  ['SelectStmt', select],
  ['InsertStmt', insert],
  ['UpdateStmt', update],
  ['DeleteStmt', remove],
  ['MergeStmt', merge],
  ['CopyStmt', copy],
  ['ExplainStmt', explain],
  ['PrepareStmt', wrapping('prepare')],
  ['ExecuteStmt', execute],
  ['DeallocateStmt', fixed('deallocate', 'read')],
  ['DeclareCursorStmt', wrapping('declare')],
  ['FetchStmt', fixed('fetch', 'read')],
  ['ClosePortalStmt', fixed('close', 'read')],
  ['DoStmt', doBlock],
  ['CallStmt', call],
  ['TransactionStmt', transaction],
  ['VariableSetStmt', variableSet],
  ['VariableShowStmt', fixed('show', 'read')],
  ['ConstraintsSetStmt', fixed('set', 'read')],
  ['DiscardStmt', discard],
  ['ListenStmt', fixed('listen', 'read')],
  ['UnlistenStmt', fixed('unlisten', 'read')],
  // NOTIFY changes no rows but delivers a payload to every listening session.
  ['NotifyStmt', fixed('notify', 'write')],
  [
    'LockStmt',
    (fields, ctx) => {
      ctx.facts.kind('lock');
      ctx.facts.raise('write');
      writeListedRelations(fields.relations, ctx);
    },
  ],
  [
    'TruncateStmt',
    (fields, ctx) => {
      ctx.facts.kind('truncate');
      ctx.facts.raise('destructive', 'truncate');
      writeListedRelations(fields.relations, ctx);
    },
  ],
  ['VacuumStmt', vacuum],
  ['CheckPointStmt', fixed('utility', 'admin')],
  ['ClusterStmt', fixed('utility', 'admin')],
  ['ReindexStmt', fixed('utility', 'admin')],
  ['LoadStmt', fixed('utility', 'admin')],
  ['RefreshMatViewStmt', fixed('refresh', 'write')],
  ['CreateTableAsStmt', createTableAs],
  ['GrantStmt', grant],
  [
    'GrantRoleStmt',
    (fields, ctx) => {
      ctx.facts.kind(fields.is_grant === true ? 'grant' : 'revoke');
      ctx.facts.raise('admin', 'grant', 'role_ddl');
    },
  ],
  [
    'AlterDefaultPrivilegesStmt',
    (fields, ctx) => {
      ctx.facts.kind(asNode(fields.action)?.is_grant === true ? 'grant' : 'revoke');
      ctx.facts.raise('admin', 'grant');
    },
  ],
  ['AlterSystemStmt', fixed('alter_system', 'admin', 'alter_system')],
  ['CreateRoleStmt', roleDdl],
  ['AlterRoleStmt', roleDdl],
  ['AlterRoleSetStmt', roleDdl],
  ['DropRoleStmt', roleDdl],
  ['ReassignOwnedStmt', roleDdl],
  ['DropOwnedStmt', fixed('drop', 'destructive', 'drop', 'role_ddl')],
  ['DropStmt', dropObjects],
  ['DropdbStmt', ddlDrop],
  ['DropTableSpaceStmt', ddlDrop],
  ['DropUserMappingStmt', ddlDrop],
  ['DropSubscriptionStmt', ddlDrop],
  ['AlterTableStmt', alterTable],
  ['CommentStmt', ddlAlter],
  ['SecLabelStmt', ddlAlter],
  ...[
    'CreateStmt',
    'CreateSchemaStmt',
    'CreateTableSpaceStmt',
    'CreateExtensionStmt',
    'CreateFdwStmt',
    'CreateForeignServerStmt',
    'CreateForeignTableStmt',
    'CreateUserMappingStmt',
    'ImportForeignSchemaStmt',
    'CreatePolicyStmt',
    'CreateAmStmt',
    'CreateTrigStmt',
    'CreateEventTrigStmt',
    'CreatePLangStmt',
    'CreateSeqStmt',
    'DefineStmt',
    'CreateDomainStmt',
    'CreateOpClassStmt',
    'CreateOpFamilyStmt',
    'IndexStmt',
    'CreateStatsStmt',
    'CreateFunctionStmt',
    'RuleStmt',
    'CompositeTypeStmt',
    'CreateEnumStmt',
    'CreateRangeStmt',
    'ViewStmt',
    'CreatedbStmt',
    'CreateConversionStmt',
    'CreateCastStmt',
    'CreateTransformStmt',
    'CreatePublicationStmt',
    'CreateSubscriptionStmt',
  ].map((type) => [type, ddlCreate] as const),
  ...[
    'AlterCollationStmt',
    'AlterDomainStmt',
    'AlterTableSpaceOptionsStmt',
    'AlterTableMoveAllStmt',
    'AlterExtensionStmt',
    'AlterExtensionContentsStmt',
    'AlterFdwStmt',
    'AlterForeignServerStmt',
    'AlterUserMappingStmt',
    'AlterPolicyStmt',
    'AlterEventTrigStmt',
    'AlterSeqStmt',
    'AlterOpFamilyStmt',
    'AlterStatsStmt',
    'AlterFunctionStmt',
    'RenameStmt',
    'AlterObjectDependsStmt',
    'AlterObjectSchemaStmt',
    'AlterOwnerStmt',
    'AlterOperatorStmt',
    'AlterTypeStmt',
    'AlterEnumStmt',
    'AlterDatabaseStmt',
    'AlterDatabaseRefreshCollStmt',
    'AlterDatabaseSetStmt',
    'AlterTSDictionaryStmt',
    'AlterTSConfigurationStmt',
    'AlterPublicationStmt',
    'AlterSubscriptionStmt',
  ].map((type) => [type, ddlAlter] as const),
];

const STATEMENT_TYPES: ReadonlySet<string> = new Set(STATEMENT_HANDLERS.map(([type]) => type));

// Node handlers for expressions; every other node type is traversed generically.
const HANDLERS: ReadonlyMap<string, NodeHandler> = new Map<string, NodeHandler>([
  ...STATEMENT_HANDLERS,
  ['RangeVar', (fields, ctx) => readRelation(fields, ctx)],
  ['FuncCall', functionCall],
  [
    'ParamRef',
    (fields, ctx) => {
      if (typeof fields.number === 'number' && fields.number > ctx.facts.maxParam)
        ctx.facts.maxParam = fields.number;
    },
  ],
  // Leaves that cannot hold a relation, call or parameter: skipped for speed.
  ['ColumnRef', noop],
  ['A_Const', noop],
  ['TypeName', noop],
  ['String', noop],
]);
