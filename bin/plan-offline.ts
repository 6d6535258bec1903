/** `npm run plan:offline`: every synthesized stack planned by Terraform and the AWS provider, offline. */
import { DEFAULT_SYNTH_DIR, DEFAULT_WORK_DIR, OfflinePlanUnavailable, planOffline, type StackPlanResult, UnknownStackError } from '../tools/offline-plan';
import { formatNotValidated, formatStackResults, summaryLine } from '../tools/offline-plan/report';
import { OutputDirRefused } from '../stacks/output-dir';
import { checkSynthFreshness } from '../stacks/synth-record';
import { CliFailure, EXIT, parseFlags, runCli, synthDirOf, UsageError } from './cli';

/** Distinct codes for a machine that cannot plan at all, so CI can tell them from an invalid stack. */
export const PLAN_OFFLINE_EXIT = { ...EXIT, terraformMissing: 3, mirrorMissing: 4 } as const;

export const USAGE = `Usage: npm run plan:offline -- [--synth <dir>] [--plans <dir>] [--stacks <a,b>] [--jobs <n>] [--online] [--strict]

Plans every stack of a synth output with the real Terraform and AWS provider, without AWS
credentials, remote state or network: local backend, placeholder state for cross-stack
inputs, fake static credentials. Prints each stack as valid or invalid with Terraform's
diagnostics at the construct path, the resources it would create, and where its plan JSON is.
Resources of providers the plugin mirror lacks are left out and reported as NOT validated.

Options:
  --synth <dir>    synth output to plan (default: $CDKTF_OUTDIR, else ${DEFAULT_SYNTH_DIR};
                   run 'npm run synth' first); refused when it no longer matches its input files
  --plans <dir>    working directories, one per stack (default: ${DEFAULT_WORK_DIR});
                   the plan JSON of a stack is <dir>/<stack>/plan.json, which
                   prove-isolation --plans and plan-review --base-plans/--head-plans read
                   (--work is the former name and still accepted)
  --stacks <a,b>   plan only these stacks
  --jobs <n>       stacks planned at once (default: number of cores)
  --online         download providers the mirror lacks instead of leaving their resources out
  --strict         fail when any resource was not validated

Environment:
  TF_PLUGIN_MIRROR  Terraform filesystem mirror (default: the first found of /opt/tf-plugins,
                    ~/.terraform.d/plugins and Terraform's other local plugin directories)

Exit codes: 0 every stack valid, 1 a stack is invalid (or --strict and something was not
validated), or the synth output is missing or stale, 2 usage error, 3 terraform not found,
4 plugin mirror not found.`;

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a positive whole number, got '${value}'`);
  return n;
}

/** The command without its frame: returns the result line or throws. */
export async function main(args: string[]): Promise<string> {
  const { flags, positional } = parseFlags(args, ['synth', 'plans', 'work', 'stacks', 'jobs'], ['online', 'strict']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const started = Date.now();
  const stacks = flags.stacks
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const synthDir = synthDirOf(flags);
  const stale = checkSynthFreshness(synthDir, { refuse: true, warn: (line) => process.stderr.write(`plan:offline: ${line}\n`) });
  if (stale) throw new CliFailure(`${stale}; nothing was planned`, EXIT.rejected);
  let results: StackPlanResult[];
  try {
    results = await planOffline({
      synthDir,
      workDir: flags.plans ?? flags.work ?? DEFAULT_WORK_DIR,
      stacks,
      online: flags.online === 'true',
      concurrency: positiveInt('jobs', flags.jobs),
      progress: (line) => process.stderr.write(`plan:offline: ${line}\n`),
    });
  } catch (error) {
    if (error instanceof OfflinePlanUnavailable) {
      throw new CliFailure(error.message, error.reason === 'terraform-missing' ? PLAN_OFFLINE_EXIT.terraformMissing : PLAN_OFFLINE_EXIT.mirrorMissing);
    }
    if (error instanceof UnknownStackError) throw new UsageError(error.message);
    if (error instanceof OutputDirRefused) throw new CliFailure(error.message, EXIT.rejected);
    throw error;
  }

  process.stdout.write(`${formatStackResults(results).join('\n')}\n`);
  const warnings = formatNotValidated(results);
  for (const warning of warnings) process.stderr.write(`plan:offline: ${warning}\n`);
  const summary = summaryLine(results, (Date.now() - started) / 1000);
  const invalid = results.filter((r) => r.status === 'invalid').map((r) => r.stack);
  if (invalid.length > 0) throw new CliFailure(`invalid: ${invalid.join(', ')}; ${summary}`);
  if (flags.strict === 'true' && warnings.length > 0) throw new CliFailure(`--strict: resources were not validated; ${summary}`);
  return `ok: ${summary}`;
}

if (require.main === module) runCli('plan:offline', USAGE, main);
