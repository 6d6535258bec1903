/** The `prove-isolation` command, callable in-process; bin/prove-isolation.ts runs it in the CLI frame. */
import { CliFailure, EXIT, parseFlags, UsageError } from '../bin/cli';
import { proveCluster } from './cluster/prove-cluster';
import { clusterResultText, formatClusterReport } from './cluster/report';
import { checkSynthFreshness, synthDirFromEnv } from '../stacks/synth-record';
import { ProofInputError, proveSynthDir, type ProofResult } from './prove';
import { formatReport, formatResult, leakCount } from './report';
import { readSynthDir, SynthInputError } from './resolve';

export const USAGE = `Usage: npm run prove-isolation -- [--synth <dir>] [--plans <dir>] [--pairwise] [--matrix]

Reads the synthesized stacks and, with an IAM policy evaluator, checks for every ordered
pair of tenants (a, b) that a's roles and pods cannot read, write, list or delete b's
buckets, decrypt with b's key or assume b's roles, and that every tenant reaches its own
buckets and key. Service control policies of the organization stack are in force.
In the cluster it checks that a's attack pods and Services are denied by the synthesized
admission policies (CEL) while a's GPU pod is admitted, that no pod of a reaches a pod of
b under the enforced NetworkPolicies, and that a's people can change nothing in b's
namespace nor the platform's objects in their own (RBAC and admission).

Options:
  --synth <dir>  synthesized output to read (default: $CDKTF_OUTDIR, else cdktf.out; run
                 'npm run synth' first). An output that no longer matches the files it was
                 made from (its synth-inputs.json) is refused
  --plans <dir>  an 'npm run plan:offline' working directory: take each policy document
                 from the stack's planned values (<dir>/<stack>/plan.json) where Terraform
                 knows all of it, else resolve it from the synthesized output
  --pairwise     simulate every ordered pair instead of classes, twins and samples (slower)
  --matrix       print the tenants x tenants matrix even for more than 30 tenants

Exit codes: 0 isolated, 1 a leak or a blocked own access, or input the proof cannot use
(missing or stale output, an expression or policy it cannot read), 2 usage error.
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

/** Runs the proof; returns the one-line result, or throws CliFailure (exit 1 on a finding or an input it cannot use) or UsageError. */
export async function proveIsolationCommand(args: readonly string[], output: CommandOutput = STANDARD_OUTPUT): Promise<string> {
  const { flags, positional } = parseFlags(args, ['synth', 'plans'], ['pairwise', 'matrix']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const dir = flags.synth ?? synthDirFromEnv();
  const stale = checkSynthFreshness(dir, { refuse: true, warn: (line) => output.diagnostic(`prove-isolation: ${line}`) });
  if (stale) throw new CliFailure(`${stale}; nothing was proved`, EXIT.rejected);
  let result: ProofResult;
  try {
    result = await proveSynthDir(dir, { mode: flags.pairwise ? 'pairwise' : 'fast', plansDir: flags.plans, progress: (line) => output.diagnostic(`prove-isolation: ${line}`) });
  } catch (error) {
    if (error instanceof SynthInputError) throw new CliFailure(error.message, EXIT.rejected);
    if (error instanceof ProofInputError) {
      for (const problem of error.problems) output.diagnostic(problem);
      throw new CliFailure(`${error.message}; nothing was proved`, EXIT.rejected);
    }
    throw error;
  }
  for (const line of formatReport(result, { matrix: flags.matrix === 'true' })) output.report(line);
  const cluster = proveCluster(readSynthDir(dir));
  if (cluster.problems.length > 0) {
    for (const problem of cluster.problems) output.diagnostic(problem);
    throw new CliFailure(`${cluster.problems.length} problem${cluster.problems.length === 1 ? '' : 's'} in the cluster objects of the synthesized output; the cluster layer was not proved`, EXIT.usage);
  }
  for (const line of formatClusterReport(cluster, { matrix: flags.matrix === 'true' })) output.report(line);
  const { leaks, blocked } = leakCount(result);
  const line = `${formatResult(result)}; ${clusterResultText(cluster)}`;
  if (leaks > 0 || blocked > 0 || cluster.findings.length > 0) throw new CliFailure(line, EXIT.rejected);
  return line;
}
