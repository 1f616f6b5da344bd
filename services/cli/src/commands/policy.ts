import { readFile } from 'node:fs/promises';
import { formatCaseReport, InvalidPolicyError, loadPolicy, runPolicyCases } from '@gatehouse/policy';
import type { OperationFacts } from '@gatehouse/policy';
import { classifyShell } from '@gatehouse/shell-risk';
import { createSqlClassifier } from '@gatehouse/sql-risk';
import { CommandFailedError, UsageError } from '../cli-failure.ts';
import type { Command, CommandContext } from '../command.ts';
import { ExitCode } from '../exit-code.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

const synopsis = 'usage: gatehouse policy test POLICY_FILE CASES_FILE';

const help = `${synopsis}

Runs a table of requests and expected decisions (CASES_FILE, YAML; schema
contracts/policy/policy-cases.schema.json) against a policy (POLICY_FILE, YAML) and prints a
report: one row per case, the reasons under each failure, totals last. For CI, so that a policy
change is proven to do what was meant before it is deployed.

Cases with \`sql:\` text are classified by the real PostgreSQL parser (@gatehouse/sql-risk),
cases with \`shell:\` text by the SSH command classifier (@gatehouse/shell-risk), as authz does.

Options:
  -h, --help   show this help

Exit status: 0 every case passed, 1 a case failed or a file is invalid, 2 bad arguments.
`;

const options = { help: { type: 'boolean', short: 'h' } } as const;

/** `gatehouse policy test`: runs a policy's cases file and fails when any case fails. */
export const policyCommand: Command = {
  name: 'policy',
  summary: 'test a policy against a table of cases (exit 1 when a case fails)',
  synopsis,
  help,
  async run(args: readonly string[], { output }: CommandContext) {
    const { values, positionals } = parseCommandArgs(args, options, true);
    if (values.help === true) {
      output.stdout(help);
      return ExitCode.Ok;
    }
    const [action, policyPath, casesPath, ...extra] = positionals;
    if (action === undefined) throw new UsageError('missing subcommand: test');
    if (action !== 'test') throw new UsageError(`unknown subcommand ${JSON.stringify(action)}`);
    if (policyPath === undefined || casesPath === undefined) {
      throw new UsageError('policy test needs POLICY_FILE and CASES_FILE');
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);

    const [policyText, casesText] = await Promise.all([
      readArgumentFile(policyPath, 'POLICY_FILE'),
      readArgumentFile(casesPath, 'CASES_FILE'),
    ]);
    const policy = parsed(policyPath, 'policy', () => loadPolicy(policyText));
    const classifier = await createSqlClassifier();
    const report = parsed(casesPath, 'cases file', () =>
      runPolicyCases(policy, casesText, {
        classifySql: (text) => classifier.classify(text),
        classifyShell: shellFacts,
        unclassified: 'fail',
      }),
    );
    output.stdout(`${formatCaseReport(report)}\n`);
    return report.failed > 0 ? ExitCode.Failed : ExitCode.Ok;
  },
};

// Shell commands name no relations or functions: policies match them on class, kinds and flags.
function shellFacts(text: string): OperationFacts {
  const { riskClass, kinds, riskFlags } = classifyShell(text);
  return { riskClass, kinds, riskFlags, relationsRead: [], relationsWritten: [], functions: [] };
}

async function readArgumentFile(path: string, role: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot read ${role} ${path} (${code})`, { cause: error });
  }
}

// An invalid policy or cases file is a failed check (exit 1), listed problem by problem.
function parsed<T>(path: string, what: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof InvalidPolicyError)) throw error;
    const problems = error.problems.map((problem) => `\n  - ${problem}`).join('');
    throw new CommandFailedError(`${path}: invalid ${what}:${problems}`, { cause: error });
  }
}
