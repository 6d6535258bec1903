/** `npm run guardrails`: synthesizes every stack in a scratch directory and prints the guardrail report. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { configPathsFromEnv, loadConfig } from '../config/load';
import { fsProblem } from '../config/read-text';
import { guardrailAspectOf } from '../guardrails/aspect';
import { formatFinding, type StackResult } from '../guardrails/check';
import { PLATFORM_GUARDRAILS } from '../guardrails/pack';
import { buildReport, formatReport } from '../guardrails/report';
import type { CheckReportFinding } from '../kernel/check-report';
import { CliFailure } from '../kernel/errors';
import { platformWideStacks, type PlatformStacks } from '../stacks/platform';
import { type ErrorAnnotation, synthesizeCollectingErrors } from '../synth/collect-errors';
import { buildCheckedPlatform } from '../synth/platform';
import { type CheckOutcome, outputFormat, parseFlags, runCheck, runCli, UsageError } from './cli';

export const USAGE = `Usage: npm run guardrails -- [--format text|json]

Synthesizes every stack from platform.yaml and the tenant files (into a scratch directory
that is removed afterwards; cdktf.out/ is not touched) and checks it against the guardrail
rule pack. Prints one line per rule: blocks checked, failures, failures hidden by a
suppression; then every failure and every suppression with its reason.

Options:
  --format <f>  text (default) or json: one versioned check report (mlp.check-report v1)
                on standard output, also when a file is wrong; the plan review reads it

Exit codes: 0 no error-level failure, 1 at least one (or a configuration problem), 2 usage.

Environment:
  PLATFORM_CONFIG  platform settings file (default: platform.yaml)
  TENANTS_DIR      directory of tenant files (default: tenants)`;

/** Synthesizes in a scratch directory below `scratchRoot` and checks every stack. */
export function checkGuardrails(scratchRoot: string = tmpdir()): CheckOutcome {
  const started = Date.now();
  const config = loadConfig(configPathsFromEnv());
  process.stderr.write(`guardrails: loaded ${config.tenants.length} tenant files, synthesizing\n`);
  let scratch: string;
  try {
    scratch = mkdtempSync(path.join(scratchRoot, 'mlp-guardrails-'));
  } catch (error) {
    // The check synthesizes into a scratch directory; without one it cannot run, which is no bug.
    throw new CliFailure(`cannot create a scratch directory in ${scratchRoot}: it is ${fsProblem(error)}; point TMPDIR at a writable directory`);
  }
  try {
    const app = new App({ outdir: scratch, skipValidation: false });
    const stacks = buildCheckedPlatform(app, config);
    const errors = synthesizeCollectingErrors(app);
    return guardrailOutcome(checkedResults(stacks), errors, (Date.now() - started) / 1000);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The guardrail results of the platform-wide and tenant stacks built, after their synth. */
export function checkedResults(stacks: PlatformStacks): StackResult[] {
  return [...platformWideStacks(stacks), ...stacks.tenants].map((stack) => {
    const result = guardrailAspectOf(stack)?.result;
    if (!result) throw new CliFailure(`stack ${stack.node.id} was not checked: the guardrails are not applied to it`);
    return result;
  });
}

/** The check's outcome from the stacks' results and the synth's error annotations. */
export function guardrailOutcome(results: readonly StackResult[], errors: readonly ErrorAnnotation[], seconds: number): CheckOutcome {
  const report = buildReport(PLATFORM_GUARDRAILS, results);
  const details = formatReport(report, formatFinding).split('\n');
  // Error annotations from elsewhere (cdktf or a construct) fail the synth as well.
  const others = errors.filter((error) => !report.findings.some((finding) => formatFinding(finding) === error.message));
  for (const other of others) details.push(`  error  ${other.path}: ${other.message}`);
  const findings: CheckReportFinding[] = [
    ...report.findings.map((finding) => ({
      severity: finding.severity,
      id: finding.ruleId,
      stack: finding.stack,
      address: finding.address,
      message: formatFinding(finding),
    })),
    ...others.map((other) => ({ severity: 'error' as const, stack: other.stack, message: `${other.path}: ${other.message}` })),
  ];
  const checked = report.rules.reduce((sum, rule) => sum + rule.checked, 0);
  const summary = `${PLATFORM_GUARDRAILS.length} rules, ${checked} checks over ${report.stacks} stacks, ${report.errors + others.length} errors, ${report.warnings} warnings, ${report.suppressions.length} suppressions in ${seconds.toFixed(1)} s`;
  if (report.errors + others.length > 0) return { status: 'failed', summary: `failed: ${summary}; npm run synth would fail`, findings, details };
  return { status: report.warnings > 0 ? 'warnings' : 'passed', summary: `ok: ${summary}`, findings, details };
}

export async function main(args: string[]): Promise<string> {
  const { flags, positional } = parseFlags(args, ['format']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  return runCheck('guardrails', outputFormat(flags), () => checkGuardrails());
}

if (require.main === module) runCli('guardrails', USAGE, main);
