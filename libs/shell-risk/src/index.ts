/**
 * @gatehouse/shell-risk — classifies SSH command lines for the SSH edge and the policy engine.
 * Pure: parses with a hand-written POSIX sh parser and never executes a shell.
 */
export { classifyShell, DEFAULT_MAX_BYTES, MAX_SCRIPT_DEPTH } from './shell-classifier.ts';
export type {
  ClassifyShellOptions,
  ShellClassification,
  SimpleCommandClassification,
} from './shell-classification.ts';
export { parseShell, MAX_PARSE_DEPTH } from './shell-parser.ts';
export { SHAPE_PLACEHOLDER, renderShell, renderShellShape, renderWord } from './shell-render.ts';
export { ShellSyntaxError } from './shell-syntax-error.ts';
export {
  ShellRiskClass,
  compareShellRiskClass,
  isShellRiskClass,
  maxShellRiskClass,
} from './shell-risk-class.ts';
export { ShellRiskFlag, isShellRiskFlag, sortShellRiskFlags } from './shell-risk-flag.ts';
export { RedirectOperator } from './shell-ast.ts';
export type {
  AndOrNode,
  ArithmeticPart,
  AssignmentNode,
  BraceGroupNode,
  CaseNode,
  CommandNode,
  CommandSubstitutionPart,
  ForNode,
  FunctionDefinitionNode,
  HereDocNode,
  IfNode,
  ListItem,
  ListNode,
  LiteralPart,
  LoopNode,
  ParameterPart,
  PipelineNode,
  ProcessSubstitutionPart,
  RedirectNode,
  SimpleCommandNode,
  SubshellNode,
  WordNode,
  WordPart,
} from './shell-ast.ts';
