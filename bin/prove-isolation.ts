/** `npm run prove-isolation`: proves from the synthesized stacks that no tenant reaches another tenant's data. */
import { ProofInputError, proveSynthDir } from '../proof/prove';
import { formatReport, formatResult, leakCount } from '../proof/report';
import { SynthInputError } from '../proof/resolve';
import { CliFailure, EXIT, parseFlags, runCli, UsageError } from './cli';

const USAGE = `Usage: npm run prove-isolation -- [--synth <dir>] [--pairwise] [--matrix]

Reads the synthesized stacks and, with an IAM policy evaluator, checks for every ordered
pair of tenants (a, b) that a's roles and pods cannot read, write, list or delete b's
buckets, decrypt with b's key or assume b's roles, and that every tenant reaches its own
buckets and key. Service control policies of the organization stack are in force.

Options:
  --synth <dir>  synthesized output to read (default: cdktf.out; run 'npm run synth' first)
  --pairwise     simulate every ordered pair instead of classes, twins and samples (slower)
  --matrix       print the tenants x tenants matrix even for more than 30 tenants

Exit codes: 0 isolated, 1 a leak or a blocked own access, 2 usage or input error
(missing output, an expression or policy the proof cannot read).
The evaluator, @cloud-copilot/iam-simulate, is AGPL-3.0 and used only as a development tool.`;

runCli('prove-isolation', USAGE, async (args) => {
  const { flags, positional } = parseFlags(args, ['synth'], ['pairwise', 'matrix']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const dir = flags.synth ?? 'cdktf.out';
  let result;
  try {
    result = await proveSynthDir(dir, {
      mode: flags.pairwise ? 'pairwise' : 'fast',
      progress: (line) => process.stderr.write(`prove-isolation: ${line}\n`),
    });
  } catch (error) {
    if (error instanceof SynthInputError) throw new CliFailure(error.message, EXIT.usage);
    if (error instanceof ProofInputError) {
      for (const problem of error.problems) process.stderr.write(`${problem}\n`);
      throw new CliFailure(`${error.message}; nothing was proved`, EXIT.usage);
    }
    throw error;
  }
  process.stdout.write(`${formatReport(result, { matrix: flags.matrix === 'true' }).join('\n')}\n`);
  const { leaks, blocked } = leakCount(result);
  if (leaks > 0 || blocked > 0) throw new CliFailure(formatResult(result), EXIT.rejected);
  return formatResult(result);
});
