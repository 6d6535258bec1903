/** `npm run prove-isolation`: proves from the synthesized stacks that no tenant reaches another tenant's data. */
import { InputError, UsageError } from '../kernel/errors';
import { proveCluster } from '../proof/cluster/prove-cluster';
import { clusterResultText, formatClusterReport } from '../proof/cluster/report';
import { ProofInputError, proveStacks, type ProofResult } from '../proof/prove';
import { formatFinding, formatReport, formatResult, leakCount } from '../proof/report';
import { readSynthDir } from '../proof/resolve';
import { checkSynthFreshness } from '../stacks/synth-record';
import { type CheckOutcome, outputFormat, parseFlags, runCheck, runCli, synthDirOf } from './cli';

export const USAGE = `Usage: npm run prove-isolation -- [--synth <dir>] [--plans <dir>] [--tenants <a,b>] [--pairwise] [--matrix] [--format text|json]

Reads the synthesized stacks and, with an IAM policy evaluator, checks for every ordered
pair of tenants (a, b) that a's roles and pods cannot read, write, list or delete b's
buckets, decrypt with b's key or assume b's roles, and that every tenant reaches its own
buckets and key. Service control policies of the organization stack are in force.
In the cluster it checks that a's attack pods and Services are denied by the synthesized
admission policies (CEL) while a's GPU pod is admitted, that no pod of a reaches a pod of
b under the enforced NetworkPolicies, and that a's people can change nothing in b's
namespace nor the platform's objects in their own (RBAC and admission).

Options:
  --synth <dir>  synthesized output to read (default: $CDKTF_OUTDIR, else cdktf.out;
                 run 'npm run synth' first). An output that no longer matches the files
                 it was made from (its synth-inputs.json) is refused
  --plans <dir>  an 'npm run plan:offline' working directory: take each policy document
                 from the stack's planned values (<dir>/<stack>/plan.json) where Terraform
                 knows all of it, else resolve it from the synthesized output
  --tenants <l>  restrict the proof to these tenants (comma-separated; a pull request's
                 changed ones): their own access and every pair with one of them, both
                 ways, in every layer; pairs of two other tenants are not checked, so use it
                 only where a proved base holds the other stacks unchanged (npm run pr:check)
  --pairwise     simulate every ordered pair instead of classes, twins and samples (slower)
  --matrix       print the tenants x tenants matrix even for more than 30 tenants
  --format <f>   text (default) or json: one versioned check report (mlp.check-report v1)
                 on standard output, also when the input cannot be read; the plan review
                 reads it

Exit codes: 0 isolated, 1 a leak, a blocked own access or an input the proof cannot
use (missing or stale output, an expression or policy it cannot resolve), 2 usage error.
The evaluator, @cloud-copilot/iam-simulate, is AGPL-3.0 and used only as a development tool.`;

export interface CommandOutput {
  /** The report (matrix or summary, findings), line by line. */
  readonly report: (line: string) => void;
  /** Progress and input problems. */
  readonly diagnostic: (line: string) => void;
}

const STANDARD_OUTPUT: CommandOutput = {
  report: (line) => process.stdout.write(`${line}\n`),
  diagnostic: (line) => process.stderr.write(`${line}\n`),
};

export interface IsolationOptions {
  readonly pairwise?: boolean;
  readonly plansDir?: string;
  readonly matrix?: boolean;
  /** Only these tenants and the pairs with them (proof/prove.ts `focus`). @default every tenant */
  readonly focus?: ReadonlySet<string>;
}

/** `--tenants a,b`: tenant names, each one a tenant name's shape. */
export function tenantList(value: string | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim());
  const bad = names.find((name) => !/^[a-z0-9][a-z0-9-]*$/.test(name));
  if (bad !== undefined) throw new UsageError(`--tenants takes tenant names separated by commas, got '${bad}'`);
  return new Set(names);
}

/** Runs the proof of every layer over a synth output and returns the check's outcome (for runCheck). */
export async function isolationOutcome(dir: string, options: IsolationOptions, output: CommandOutput = STANDARD_OUTPUT): Promise<CheckOutcome> {
  const stale = checkSynthFreshness(dir, { refuse: true, warn: (line) => output.diagnostic(`prove-isolation: ${line}`) });
  if (stale) throw new InputError([stale], `${stale}; nothing was proved`);
  const stacks = readSynthDir(dir);
  let result: ProofResult;
  try {
    result = await proveStacks(stacks, {
      mode: options.pairwise ? 'pairwise' : 'fast',
      plansDir: options.plansDir,
      focus: options.focus,
      progress: (line) => output.diagnostic(`prove-isolation: ${line}`),
    });
  } catch (error) {
    if (error instanceof ProofInputError) {
      for (const problem of error.problems) output.diagnostic(problem);
      throw new InputError(error.problems, `${error.message}; nothing was proved`);
    }
    throw error;
  }
  const cluster = proveCluster(stacks, { pairwise: options.pairwise === true, focus: options.focus });
  return clusterOutcome(result, cluster, options, output);
}

/** Runs the proof; returns the one-line result, or throws CliFailure (exit 1 on a finding or an input error) or UsageError. */
export async function proveIsolationCommand(args: readonly string[], output: CommandOutput = STANDARD_OUTPUT): Promise<string> {
  const { flags, positional } = parseFlags(args, ['synth', 'plans', 'format', 'tenants'], ['pairwise', 'matrix']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const dir = synthDirOf(flags);
  const options: IsolationOptions = {
    pairwise: flags.pairwise === 'true',
    plansDir: flags.plans,
    matrix: flags.matrix === 'true',
    focus: tenantList(flags.tenants),
  };
  return runCheck('prove-isolation', outputFormat(flags), () => isolationOutcome(dir, options, output), output.report);
}

/** The verdict of both proofs as a check outcome: failed on any finding; the cluster layer's unreadable input is an input error. */
function clusterOutcome(result: ProofResult, cluster: ReturnType<typeof proveCluster>, options: IsolationOptions, output: CommandOutput): CheckOutcome {
  if (cluster.problems.length > 0) {
    for (const problem of cluster.problems) output.diagnostic(problem);
    throw new InputError(
      cluster.problems,
      `${cluster.problems.length} problem${cluster.problems.length === 1 ? '' : 's'} in the cluster objects of the synthesized output; the cluster layer was not proved`,
    );
  }
  const { leaks, blocked } = leakCount(result);
  return {
    status: leaks > 0 || blocked > 0 || cluster.findings.length > 0 ? 'failed' : 'passed',
    summary: `${formatResult(result)}; ${clusterResultText(cluster)}`,
    findings: [
      ...result.findings.map((finding) => ({ severity: 'error' as const, id: finding.type, message: formatFinding(finding).join(' ') })),
      ...cluster.findings.map((finding) => ({
        severity: 'error' as const,
        id: `cluster-${finding.layer}-${finding.type}`,
        message: `${finding.from} -> ${finding.to}: ${finding.what} (${finding.why})`,
      })),
    ],
    details: [...formatReport(result, { matrix: options.matrix === true }), ...formatClusterReport(cluster, { matrix: options.matrix === true })],
  };
}

if (require.main === module) runCli('prove-isolation', USAGE, (args) => proveIsolationCommand(args));
