/** `npm run plan-review`: the pull-request review of two synth outputs, as Markdown. */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../kernel/errors';
import { type PlanReviewResult, planReview } from '../tools/plan-review';
import { renderReview } from '../tools/plan-review/render';
import { checkSynthFreshness } from '../stacks/synth-record';
import { CliFailure, EXIT, parseFlags, runCli, UsageError } from './cli';

export const USAGE = `Usage: npm run plan-review -- --base <synth dir> --head <synth dir> [options]

Compares two synthesized outputs (manifest.json and each stack's cdk.tf.json) and writes
a Markdown review for the pull request: per tenant what is new, changed or removed, the
platform stacks, GPU cost ceilings against budgets, and the guardrail and isolation-proof
results. No cloud credentials are needed.

Options:
  --base <dir>            synth output of the base branch (required)
  --head <dir>            synth output of the pull request (required)
  --out <file>            write the review there (default: standard output)
  --full <file>           also write the review without the comment size limit
  --platform <file>       platform.yaml of the head, for GPU prices (default: platform.yaml)
  --guardrails <file>     JSON report of \`npm run guardrails -- --format json\`; absent: "not run"
  --proof <file>          JSON report of \`npm run prove-isolation -- --format json\`; absent: "not run"
  --base-plans <dir>      offline plan directory of the base (\`npm run plan:offline -- --plans\`):
                          a stack's <dir>/<stack>/plan.json gives Terraform's planned values
  --head-plans <dir>      the same for the head; a resource is compared by planned values when
                          both sides have them, else by its synthesized configuration
  --changed-stacks <file> write the head stacks that differ from the base, one per line,
                          in deploy order (for \`cdktf diff\` and \`cdktf deploy\`)

A check whose report is not given (--guardrails, --proof) is "not run", and a review with
a check not run is never "ok". An output that no longer matches the files it was made from
(its synth-inputs.json) is warned about.

Exit codes: 0 ok or needs attention, 1 blocked, or an input that cannot be reviewed
(missing output, unreadable report, unwritable --out), 2 usage error.`;

const FLAGS = ['base', 'head', 'out', 'full', 'platform', 'guardrails', 'proof', 'base-plans', 'head-plans', 'changed-stacks'];

function write(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new CliFailure(`cannot write ${file}: ${(error as Error).message}`, EXIT.rejected);
  }
}

/** The command without its frame: returns the result line or throws UsageError / CliFailure. */
export function main(args: string[]): string {
  const { flags, positional } = parseFlags(args, FLAGS);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  if (!flags.base || !flags.head) throw new UsageError('--base and --head are both required');
  const started = Date.now();
  // Progress only when the run is long enough to wonder about.
  const progress = (line: string) => {
    if (Date.now() - started > 1000) process.stderr.write(`plan-review: ${line}\n`);
  };
  // The review compares what it is given; an output that no longer matches its files is said out loud.
  for (const dir of [flags.base, flags.head]) checkSynthFreshness(dir, { refuse: false, warn: (line) => process.stderr.write(`plan-review: ${line}\n`) });
  let result: PlanReviewResult;
  try {
    result = planReview({
      baseDir: flags.base,
      headDir: flags.head,
      platformFile: flags.platform ?? 'platform.yaml',
      guardrailsFile: flags.guardrails,
      proofFile: flags.proof,
      basePlans: flags['base-plans'],
      headPlans: flags['head-plans'],
      progress,
    });
  } catch (error) {
    if (error instanceof InputError) throw new CliFailure(`cannot review:\n${error.problems.join('\n')}`, EXIT.rejected);
    throw error;
  }
  const { review, markdown } = result;
  if (flags.out) write(flags.out, markdown);
  else process.stdout.write(markdown);
  if (flags.full) write(flags.full, renderReview(review, { maxChars: Infinity }));
  if (flags['changed-stacks']) write(flags['changed-stacks'], review.changedStacks.map((s) => `${s}\n`).join(''));

  const t = review.tenants;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const line =
    `${review.verdict}: ${t.new.length} new, ${t.changed.length} changed, ${t.removed.length} removed tenant${t.removed.length === 1 ? '' : 's'}; ` +
    `${review.platform.length} platform stack${review.platform.length === 1 ? '' : 's'} changed; ${review.changedStacks.length} stack${review.changedStacks.length === 1 ? '' : 's'} to deploy; ` +
    `${markdown.length.toLocaleString('en-US')} characters${flags.out ? ` in ${flags.out}` : ''} (${seconds} s)`;
  if (review.verdict === 'blocked') throw new CliFailure(line, EXIT.rejected);
  // With the review on standard output, the result line goes to standard error.
  if (!flags.out) {
    process.stderr.write(`${line}\n`);
    return '';
  }
  return line;
}

if (require.main === module) runCli('plan-review', USAGE, main);
