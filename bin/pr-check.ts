/**
 * `npm run pr:check`: the pull-request path in one command, at a cost that does not grow
 * with the tenants a change does not touch: validate, incremental synth (guardrails
 * included), the guardrail report, the isolation proof restricted to the changed tenants,
 * the offline plan of the changed stacks, and the plan review. Each phase's time is printed.
 */
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../config/issues';
import { checkConfig, configPathsFromEnv } from '../config/load';
import { InputError } from '../kernel/errors';
import { readSynthManifest } from '../kernel/synth-output';
import { makeDirectories, OutputDirRefused } from '../stacks/output-dir';
import { GuardrailViolations } from '../synth/collect-errors';
import { type IncrementalSynthResult, synthesizeIncrementally } from '../synth/incremental';
import { OfflinePlanUnavailable, planOffline, type StackPlanResult } from '../tools/offline-plan';
import { planReview } from '../tools/plan-review';
import { renderReview } from '../tools/plan-review/render';
import { type CheckOutcome, CliFailure, EXIT, parseFlags, runCheck, runCli, synthDirOf, UsageError } from './cli';
import { checkedResults, guardrailOutcome } from './guardrails';
import { PLAN_OFFLINE_EXIT } from './plan-offline';
import { isolationOutcome } from './prove-isolation';

export const DEFAULT_PR_OUT = 'pr-check.out';

export const USAGE = `Usage: npm run pr:check -- --base <base synth dir> [--synth <dir>] [--out <dir>] [--base-plans <dir>] [--skip-plan]

The pull-request path in one command, for the head's platform.yaml and tenant files:
  1. validate     every file, as npm run validate
  2. synth        incremental: only the stacks of tenants whose file is new or changed are
                  synthesized (with the guardrails) and every other stack is the base's;
                  a full synth when platform.yaml or the code changed, or the base output
                  is not usable (it says why); the output is what npm run synth writes
  3. guardrails   the report over the stacks the synth checked
  4. proof        the isolation proof of every layer, restricted to the changed tenants
                  (their own access, every pair with them both ways); all tenants after a
                  full synth
  5. plan         the offline plan (npm run plan:offline) of the head stacks that differ
                  from the base, and of the same stacks of the base
  6. review       npm run plan-review over all of it
and prints each phase's time. The base output is the base branch's npm run synth output,
with its synth-inputs.json, made by the same code.

Writes into --out: guardrails.json, proof.json (check reports), review.md (the comment),
review-full.md, changed-stacks.txt (stacks to deploy), plans-head/ and plans-base/ (the
offline plans), timings.json (each phase's seconds).

Options:
  --base <dir>        synth output of the base branch (required)
  --synth <dir>       where the head's synth output goes (default: $CDKTF_OUTDIR, else cdktf.out)
  --out <dir>         reports and plans (default: ${DEFAULT_PR_OUT})
  --base-plans <dir>  offline plans of the base made earlier (plan:offline --plans); the base
                      stacks are then not planned again
  --skip-plan         leave out the offline plan (the review compares configurations)

Environment:
  PLATFORM_CONFIG, TENANTS_DIR  the head's files (default: platform.yaml, tenants)
  TF_PLUGIN_MIRROR              the provider mirror of the offline plan

Exit codes: 0 the review is ok or needs attention, 1 rejected (a file is wrong, a guardrail
failed, the proof found a leak, a changed stack is invalid, the review is blocked, or an
input or output directory is refused), 2 usage error, 3 terraform not found, 4 no
provider plugin mirror (3 and 4 only without --skip-plan, after the review is written).`;

interface Phase {
  readonly name: string;
  readonly seconds: number;
  readonly result: string;
}

/** Writes a check's versioned JSON report to `file`, as `--format json` prints it; returns whether it passed and its summary. */
async function checkToFile(check: string, file: string, run: () => CheckOutcome | Promise<CheckOutcome>): Promise<{ ok: boolean; summary: string }> {
  const lines: string[] = [];
  let summary = '';
  let ok = true;
  try {
    await runCheck(
      check,
      'json',
      async () => {
        const outcome = await run();
        summary = outcome.summary;
        return outcome;
      },
      (line) => lines.push(line),
    );
  } catch (error) {
    if (!(error instanceof CliFailure)) throw error;
    ok = false;
    summary ||= error.message;
  } finally {
    if (lines.length > 0) writeFileSync(file, `${lines.join('\n')}\n`);
  }
  return { ok, summary };
}

function changedTenantsText(synth: IncrementalSynthResult): string {
  if (synth.mode === 'full') return `full synth of ${synth.tenants} tenants (${synth.fallback})`;
  const removed = synth.removed.length > 0 ? `, removed: ${synth.removed.join(', ')}` : '';
  return `incremental: ${synth.changed.length === 0 ? 'no tenant' : synth.changed.join(', ')} synthesized${removed}; ${synth.reused} stacks reused from the base`;
}

/** The command without its frame: returns the result line or throws. */
export async function main(args: string[]): Promise<string> {
  const { flags, positional } = parseFlags(args, ['base', 'synth', 'out', 'base-plans'], ['skip-plan']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  if (!flags.base) throw new UsageError('--base <base synth dir> is required');
  if (!existsSync(path.join(flags.base, 'manifest.json')))
    throw new CliFailure(
      `--base ${flags.base} is not a synth output (it has no manifest.json): synthesize the base branch first, with CDKTF_OUTDIR=${flags.base} npm run synth`,
      EXIT.rejected,
    );
  const started = Date.now();
  const paths = configPathsFromEnv();
  const headDir = synthDirOf(flags);
  const out = flags.out ?? DEFAULT_PR_OUT;
  try {
    makeDirectories(out);
  } catch (error) {
    throw new CliFailure(`cannot create the report directory ${out}: ${(error as Error).message}; pass --out <a writable directory>`, EXIT.rejected);
  }
  const file = (name: string) => path.join(out, name);
  const phases: Phase[] = [];
  const phase = async <T>(name: string, run: () => T | Promise<T>, result: (value: T) => string): Promise<T> => {
    const at = Date.now();
    const value = await run();
    const done = { name, seconds: (Date.now() - at) / 1000, result: result(value) };
    phases.push(done);
    process.stderr.write(`pr:check: ${name} ${done.seconds.toFixed(1)} s: ${done.result}\n`);
    return value;
  };
  const finish = () => {
    const total = (Date.now() - started) / 1000;
    writeFileSync(file('timings.json'), `${JSON.stringify({ phases: phases.map(({ name, seconds }) => ({ name, seconds })), total }, null, 2)}\n`);
    return `${phases.map((p) => `${p.name} ${p.seconds.toFixed(1)} s`).join(', ')}; total ${total.toFixed(1)} s`;
  };

  const config = await phase(
    'validate',
    () => {
      const checked = checkConfig(paths);
      if (!checked.config) throw new ConfigError(checked.issues);
      return checked.config;
    },
    (c) => `${c.tenants.length} tenant files valid`,
  );

  let synth: IncrementalSynthResult;
  try {
    synth = await phase(
      'synth',
      () =>
        synthesizeIncrementally({ paths, outdir: headDir, base: flags.base, config, progress: (line) => process.stderr.write(`pr:check: synth: ${line}\n`) }),
      changedTenantsText,
    );
  } catch (error) {
    if (error instanceof OutputDirRefused) throw new CliFailure(error.message, EXIT.rejected);
    if (error instanceof GuardrailViolations) {
      await checkToFile('guardrails', file('guardrails.json'), () => guardrailOutcome([], error.errors, 0));
      throw new CliFailure(`${error.message}\n(the guardrail report is in ${file('guardrails.json')}; ${finish()})`, EXIT.rejected);
    }
    throw error;
  }

  const guardrails = await phase(
    'guardrails',
    () =>
      // The synth checked the stacks it built (every stack after a full synth): the report reads their results.
      checkToFile('guardrails', file('guardrails.json'), () => guardrailOutcome(checkedResults(synth.built), [], 0)),
    (r) => (r.ok ? 'passed' : 'failed'),
  );

  const focus = synth.mode === 'incremental' && synth.changed.length > 0 ? new Set(synth.changed) : undefined;
  const proof = await phase(
    'proof',
    () =>
      checkToFile('prove-isolation', file('proof.json'), () =>
        isolationOutcome(headDir, { focus }, { report: () => undefined, diagnostic: (line) => process.stderr.write(`pr:check: proof: ${line}\n`) }),
      ),
    (r) => (r.ok ? 'passed' : 'failed'),
  );

  let planned = false;
  let unavailable: OfflinePlanUnavailable | undefined;
  let invalid: string[] = [];
  // A first review of the configurations names the stacks that differ from the base: only those are planned.
  const review = () =>
    planReview({
      baseDir: flags.base,
      headDir,
      platformFile: paths.platformFile,
      guardrailsFile: file('guardrails.json'),
      proofFile: file('proof.json'),
      basePlans: planned ? (flags['base-plans'] ?? file('plans-base')) : undefined,
      headPlans: planned ? file('plans-head') : undefined,
    });
  if (flags['skip-plan'] !== 'true') {
    const changedStacks = reviewOrFail(review).review.changedStacks;
    const baseStacks = readSynthManifest(flags.base, 'base synth output').stacks;
    const plan = async (synthDir: string, workDir: string, stacks: readonly string[]): Promise<StackPlanResult[]> =>
      stacks.length === 0 ? [] : planOffline({ synthDir, workDir, stacks: [...stacks], progress: (line) => process.stderr.write(`pr:check: plan: ${line}\n`) });
    try {
      const results = await phase(
        'plan',
        async () => {
          // Both sides at once: each is a Terraform process per stack, mostly waiting on the provider.
          const [head] = await Promise.all([
            plan(headDir, file('plans-head'), changedStacks),
            flags['base-plans']
              ? []
              : plan(
                  flags.base,
                  file('plans-base'),
                  changedStacks.filter((s) => baseStacks.has(s)),
                ),
          ]);
          return head;
        },
        (r) =>
          `${r.length} head stack${r.length === 1 ? '' : 's'} planned (${changedStacks.join(', ') || 'none changed'}), ${r.filter((s) => s.status === 'invalid').length} invalid`,
      );
      invalid = results.filter((r) => r.status === 'invalid').map((r) => r.stack);
      planned = true;
    } catch (error) {
      if (!(error instanceof OfflinePlanUnavailable)) throw error;
      unavailable = error;
      process.stderr.write(`pr:check: plan: not run: ${error.message}\n`);
    }
  }

  const reviewed = await phase(
    'review',
    () => reviewOrFail(review),
    (r) => r.review.verdict,
  );
  writeFileSync(file('review.md'), reviewed.markdown);
  writeFileSync(file('review-full.md'), renderReview(reviewed.review, { maxChars: Infinity }));
  writeFileSync(file('changed-stacks.txt'), reviewed.review.changedStacks.map((s) => `${s}\n`).join(''));

  const timings = finish();
  const failures = [
    guardrails.ok ? '' : 'a guardrail failed',
    proof.ok ? '' : 'the isolation proof failed',
    invalid.length > 0 ? `invalid stack${invalid.length === 1 ? '' : 's'}: ${invalid.join(', ')}` : '',
    reviewed.review.verdict === 'blocked' ? 'the review is blocked' : '',
  ].filter(Boolean);
  const line = `${reviewed.review.verdict}: ${changedTenantsText(synth)}; review in ${file('review.md')}; ${timings}`;
  if (failures.length > 0) throw new CliFailure(`${failures.join('; ')}; ${line}`, EXIT.rejected);
  if (unavailable)
    throw new CliFailure(
      `offline plan not run (${unavailable.message}); ${line}`,
      unavailable.reason === 'terraform-missing' ? PLAN_OFFLINE_EXIT.terraformMissing : PLAN_OFFLINE_EXIT.mirrorMissing,
    );
  return line;
}

function reviewOrFail<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof InputError) throw new CliFailure(`cannot review:\n${error.problems.join('\n')}`, EXIT.rejected);
    throw error;
  }
}

if (require.main === module) runCli('pr:check', USAGE, main);
