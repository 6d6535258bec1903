/**
 * `npm run bench`: how validate, synth, plan review and the isolation proof scale with the
 * number of tenants, against plain cdktf baselines, written to bench/results.md.
 *
 * Every measurement is its own process (the command's script as main module, with
 * bench/run-phase.ts preloaded to report), so module loading is counted and peak RSS is
 * that command's alone. Each figure is the median of `--runs` runs; synth and baseline
 * runs alternate (project, same-output baseline, minimal-argument baseline), and the
 * overhead ratio is the median of the ratios of runs made side by side, so a change in
 * machine load hits both. The time per tenant leaves out the fixed cost (a synth of no
 * tenants: start-up, module loading, the platform stacks), so that a quadratic step shows
 * instead of being averaged away.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generatedTenantName, generateTenants } from './generated-tenants';
import { CliFailure, parseFlags, runCli, UsageError } from '../bin/cli';
import { shapeOfSynth } from './baseline';
import { readStackBytes, readSynthManifest } from '../kernel/synth-output';
import type { PhaseOutcome } from './run-phase';

const REPO_ROOT = path.resolve(__dirname, '..');
// A URL: --import takes module specifiers.
const RUN_PHASE = pathToFileURL(path.join(__dirname, 'run-phase.ts')).href;
const PLATFORM_FILE = path.join(REPO_ROOT, 'platform.yaml');
const DEFAULT_RESULTS = path.join(REPO_ROOT, 'bench', 'results.md');
const GIB = 1024 * 1024 * 1024;

const USAGE = `Usage: npm run bench -- [--sizes 10,100,1000] [--runs 3] [--results <file>] [--npm-test] [--keep]

Generates N tenants (training teams with spot GPU pools and three buckets, inference teams
with adopted accounts and on-demand pools, CPU-only teams) in a temporary directory and
measures, for each N: validate; synth of every stack (time, CPU, peak RSS, per tenant) and
the same synth by two plain cdktf baselines (bench/baseline.ts): one writing the same
Terraform as the project (the overhead ratio), one with minimal arguments (shown for
information); plan review of N against N+1 tenants; the isolation proof; the one-tenant
pull-request path (npm run pr:check, one tenant file changed, per phase). A synth of no
tenants gives the fixed cost that the time per tenant leaves out. Each figure is the
median of --runs runs, each run a fresh process.
Progress goes to standard error; the tables go to --results.

Options:
  --sizes <list>    tenant counts, comma-separated (default: 10,100,1000)
  --runs <n>        runs per figure, at least 1 (default: 3)
  --results <file>  where to write the tables (default: bench/results.md; the text after
                    the generated block is kept)
  --npm-test        also time one \`npm test\` run
  --keep            keep the generated tenants and synth outputs (their directory is printed)

Exit codes: 0 every target measured is met, 1 a target is missed or a command failed,
2 usage error. A 1,000-tenant run takes about ten minutes on two cores.`;

interface Measurement {
  readonly wallMs: number;
  readonly outcome: PhaseOutcome;
  /** The command's one-line result. */
  readonly result: string;
}

/** What one synth output holds, to show that the baselines match the project. */
interface OutputCounts {
  readonly stacks: number;
  readonly resources: number;
  /** Uses of remote-state outputs. */
  readonly remoteUses: number;
  /** Bytes of all cdk.tf.json files. */
  readonly bytes: number;
}

/** One stack's synthesized size, and a digest of its bytes to tell "the same" from "as large". */
interface StackSize {
  readonly resources: number;
  readonly bytes: number;
  readonly sha256: string;
}

interface SizeResult {
  readonly tenants: number;
  readonly counts: { readonly project: OutputCounts; readonly sameOutput: OutputCounts; readonly minimal: OutputCounts };
  /** The stacks that are not a tenant's (those a synth of no tenants writes), by name. */
  readonly platformStacks: ReadonlyMap<string, StackSize>;
  readonly validate: readonly Measurement[];
  readonly synth: readonly Measurement[];
  /** The same-output baseline: the overhead ratio is judged against it. */
  readonly sameOutput: readonly Measurement[];
  /** The minimal-argument baseline, for information. */
  readonly minimal: readonly Measurement[];
  readonly planReview: readonly Measurement[];
  readonly proof: readonly Measurement[];
  /** The one-tenant pull-request path (`npm run pr:check`) over the synth of N with one tenant file changed. */
  readonly prPath: PrPath;
}

interface PrPath {
  readonly runs: readonly Measurement[];
  /** Seconds of each phase, per run (the command's timings.json). */
  readonly phases: readonly Readonly<Record<string, number>>[];
  /** Why the offline plan was left out, when it was. */
  readonly planMissing?: string;
}

type Progress = (line: string) => void;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const wall = (runs: readonly Measurement[]) => median(runs.map((run) => run.wallMs));
const cpu = (runs: readonly Measurement[]) => median(runs.map((run) => run.outcome.cpuMs));
const rss = (runs: readonly Measurement[]) => median(runs.map((run) => run.outcome.maxRssKb * 1024));

function seconds(ms: number): string {
  return ms >= 100_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;
}

function bytes(value: number): string {
  return value >= GIB ? `${(value / GIB).toFixed(2)} GiB` : `${(value / (1024 * 1024)).toFixed(0)} MiB`;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

/** The script each phase runs: the one its npm script runs, and the baseline. */
const PHASE_SCRIPTS = {
  validate: 'bin/validate.ts',
  synth: 'bin/synth.ts',
  'plan-review': 'bin/plan-review.ts',
  'prove-isolation': 'bin/prove-isolation.ts',
  'pr-check': 'bin/pr-check.ts',
  baseline: 'bench/baseline.ts',
} as const;

type Phase = keyof typeof PHASE_SCRIPTS;

/** Runs one phase in a fresh process; fails with the command's last lines unless it exits with an accepted code. */
function runPhase(phase: Phase, args: readonly string[], env: Record<string, string>, accepted: readonly number[] = [0]): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', RUN_PHASE, path.join(REPO_ROOT, PHASE_SCRIPTS[phase]), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const report: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => report.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const reported = Buffer.concat(report).toString('utf8').trim();
      if (code === null || !accepted.includes(code) || !reported) {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-8).join('\n  ');
        reject(new CliFailure(`${PHASE_SCRIPTS[phase]} ${args.join(' ')} exited with ${code ?? 'a signal'}:\n  ${tail}`));
        return;
      }
      resolve({ wallMs, outcome: JSON.parse(reported) as PhaseOutcome, result: lastLine(stdout) || lastLine(stderr) });
    });
  });
}

async function repeat(runs: number, label: string, progress: Progress, measure: () => Promise<Measurement>): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    const measured = await measure();
    progress(`${label} run ${i + 1}/${runs}: ${seconds(measured.wallMs)}, peak RSS ${bytes(measured.outcome.maxRssKb * 1024)}`);
    results.push(measured);
  }
  return results;
}

/** Resources in one stack's text. */
function resourceCount(text: string): number {
  const json = JSON.parse(text) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

/** Resources, uses of remote-state outputs and bytes of a synth output, to show that the baselines match the project. */
function countOutput(dir: string): OutputCounts {
  const { stacks } = readSynthManifest(dir);
  let resources = 0;
  let remoteUses = 0;
  let bytes = 0;
  for (const entry of stacks.values()) {
    const text = readStackBytes(entry).toString('utf8');
    resources += resourceCount(text);
    remoteUses += text.match(/data\.terraform_remote_state\.[^.]+\.outputs\./g)?.length ?? 0;
    bytes += Buffer.byteLength(text);
  }
  return { stacks: stacks.size, resources, remoteUses, bytes };
}

/** Size of each named stack of a synth output, or of every stack without names; a named stack the output lacks is a failure. */
function stackSizes(dir: string, names?: Iterable<string>): Map<string, StackSize> {
  const { stacks } = readSynthManifest(dir);
  const sizes = new Map<string, StackSize>();
  for (const name of names ?? stacks.keys()) {
    const entry = stacks.get(name);
    if (!entry) throw new CliFailure(`${dir} has no stack '${name}', which a synth of no tenants writes`);
    const text = readStackBytes(entry).toString('utf8');
    sizes.set(name, { resources: resourceCount(text), bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') });
  }
  return sizes;
}

/** Both baselines' arguments: the same-output one reads the project's output, the minimal one its shape. */
function baselineArgs(projectOut: string, shapeFile: string, sameOutputOut: string, minimalOut: string) {
  return { sameOutput: ['--same-output-of', projectOut, '--outdir', sameOutputOut], minimal: ['--shape', shapeFile, '--outdir', minimalOut] };
}

function ratio(project: Measurement, baseline: Measurement): string {
  return (project.wallMs / baseline.wallMs).toFixed(2);
}

async function measureSize(n: number, runs: number, workRoot: string, fixed: FixedCost, progress: Progress): Promise<SizeResult> {
  const work = path.join(workRoot, `n${n}`);
  const tenants = path.join(work, 'tenants');
  const nextTenants = path.join(work, 'tenants-next');
  const out = path.join(work, 'synth');
  const nextOut = path.join(work, 'synth-next');
  const sameOutputOut = path.join(work, 'baseline-same-output');
  const minimalOut = path.join(work, 'baseline-minimal');
  const shapeFile = path.join(work, 'shape.json');
  const args = baselineArgs(out, shapeFile, sameOutputOut, minimalOut);
  generateTenants(n, tenants);
  generateTenants(n + 1, nextTenants);
  progress(`N=${n}: generated ${n} and ${n + 1} tenant files in ${work}`);
  const config = { PLATFORM_CONFIG: PLATFORM_FILE, TENANTS_DIR: tenants };

  const validate = await repeat(runs, `N=${n}: validate`, progress, () => runPhase('validate', [], config));

  const synth: Measurement[] = [];
  const sameOutput: Measurement[] = [];
  const minimal: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    const project = await runPhase('synth', [], { ...config, CDKTF_OUTDIR: out });
    if (i === 0) writeFileSync(shapeFile, JSON.stringify(shapeOfSynth(out)));
    const same = await runPhase('baseline', args.sameOutput, {});
    const plain = await runPhase('baseline', args.minimal, {});
    progress(
      `N=${n}: synth run ${i + 1}/${runs}: ${seconds(project.wallMs)}, peak RSS ${bytes(project.outcome.maxRssKb * 1024)}; ` +
        `same-output baseline ${seconds(same.wallMs)}, ratio ${ratio(project, same)}; minimal baseline ${seconds(plain.wallMs)}, ratio ${ratio(project, plain)}`,
    );
    synth.push(project);
    sameOutput.push(same);
    minimal.push(plain);
  }
  const counts = { project: countOutput(out), sameOutput: countOutput(sameOutputOut), minimal: countOutput(minimalOut) };
  const platformStacks = stackSizes(out, fixed.platformStacks.keys());

  progress(`N=${n}: synthesizing ${n + 1} tenants for the plan review`);
  await runPhase('synth', [], { PLATFORM_CONFIG: PLATFORM_FILE, TENANTS_DIR: nextTenants, CDKTF_OUTDIR: nextOut });
  // Exit 1 is the verdict "blocked", still a complete review.
  const planReview = await repeat(runs, `N=${n}: plan review`, progress, () =>
    runPhase('plan-review', ['--base', out, '--head', nextOut, '--out', path.join(work, 'review.md'), '--platform', PLATFORM_FILE], {}, [0, 1]),
  );
  const proof = await repeat(runs, `N=${n}: isolation proof`, progress, () => runPhase('prove-isolation', ['--synth', out], {}));
  const prPath = await measurePrPath(n, runs, work, tenants, out, progress);
  return { tenants: n, counts, platformStacks, validate, synth, sameOutput, minimal, planReview, proof, prPath };
}

/** Exit codes of pr:check when the offline plan cannot run (no terraform, no mirror): the rest is measured. */
const PLAN_UNAVAILABLE = [3, 4];

/**
 * The one-tenant pull request: the base is the synth of N tenants, the head changes one
 * training tenant's budget and pool size (its account and tenant stacks). Each run starts
 * from a fresh report and plan directory, so Terraform's init is counted every time.
 */
async function measurePrPath(n: number, runs: number, work: string, tenants: string, base: string, progress: Progress): Promise<PrPath> {
  const head = path.join(work, 'tenants-pr');
  cpSync(tenants, head, { recursive: true });
  const file = path.join(head, `${generatedTenantName(0)}.yaml`);
  const body = readFileSync(file, 'utf8');
  const changed = body
    .replace(/monthlyUsd: (\d+)/, (_, usd) => `monthlyUsd: ${Number(usd) + 500}`)
    .replace(/maxNodes: (\d+)/, (_, nodes) => `maxNodes: ${Number(nodes) - 1}`);
  if (changed === body) throw new CliFailure(`${file}: the benchmark's pull request found no budget or pool size to change`);
  writeFileSync(file, changed);
  const env = { PLATFORM_CONFIG: PLATFORM_FILE, TENANTS_DIR: head };
  const measured: Measurement[] = [];
  const phases: Record<string, number>[] = [];
  let planMissing: string | undefined;
  for (let i = 0; i < runs; i++) {
    const out = path.join(work, `pr-check-${i}`);
    const run = await runPhase('pr-check', ['--base', base, '--synth', path.join(work, 'synth-pr'), '--out', out], env, [0, ...PLAN_UNAVAILABLE]);
    if (PLAN_UNAVAILABLE.includes(run.outcome.exitCode)) planMissing = run.result;
    const timings = JSON.parse(readFileSync(path.join(out, 'timings.json'), 'utf8')) as { phases: { name: string; seconds: number }[] };
    phases.push(Object.fromEntries(timings.phases.map((phase) => [phase.name, phase.seconds])));
    measured.push(run);
    rmSync(out, { recursive: true, force: true });
    progress(
      `N=${n}: one-tenant pull request run ${i + 1}/${runs}: ${seconds(run.wallMs)} (${timings.phases.map((p) => `${p.name} ${p.seconds.toFixed(1)} s`).join(', ')})`,
    );
  }
  return { runs: measured, phases, ...(planMissing ? { planMissing } : {}) };
}

/** The same synth with no tenant files: start-up, module loading and the platform-wide stacks. */
interface FixedCost {
  /** Every stack a synth of no tenants writes: the stacks that are no tenant's. */
  readonly platformStacks: ReadonlyMap<string, StackSize>;
  readonly synth: readonly Measurement[];
  readonly sameOutput: readonly Measurement[];
  readonly minimal: readonly Measurement[];
}

async function measureFixedCost(runs: number, workRoot: string, progress: Progress): Promise<FixedCost> {
  const work = path.join(workRoot, 'n0');
  const tenants = path.join(work, 'tenants');
  const out = path.join(work, 'synth');
  const shapeFile = path.join(work, 'shape.json');
  const args = baselineArgs(out, shapeFile, path.join(work, 'baseline-same-output'), path.join(work, 'baseline-minimal'));
  mkdirSync(tenants, { recursive: true });
  const config = { PLATFORM_CONFIG: PLATFORM_FILE, TENANTS_DIR: tenants, CDKTF_OUTDIR: out };
  // Untimed: the first run of each script fills tsx's compile cache and the file cache.
  progress('warming up (one untimed run of each command)');
  await runPhase('validate', [], config);
  await runPhase('synth', [], config);
  writeFileSync(shapeFile, JSON.stringify(shapeOfSynth(out)));
  await runPhase('baseline', args.sameOutput, {});
  await runPhase('baseline', args.minimal, {});
  await runPhase('plan-review', ['--help'], {});
  await runPhase('prove-isolation', ['--help'], {});
  await runPhase('pr-check', ['--help'], {});
  const synth: Measurement[] = [];
  const sameOutput: Measurement[] = [];
  const minimal: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    synth.push(await runPhase('synth', [], config));
    sameOutput.push(await runPhase('baseline', args.sameOutput, {}));
    minimal.push(await runPhase('baseline', args.minimal, {}));
    progress(
      `N=0 (fixed cost): synth run ${i + 1}/${runs}: ${seconds(synth[i].wallMs)}; same-output baseline ${seconds(sameOutput[i].wallMs)}; minimal baseline ${seconds(minimal[i].wallMs)}`,
    );
  }
  return { platformStacks: stackSizes(out), synth, sameOutput, minimal };
}

/** Synth time per tenant beyond the fixed cost, by wall or CPU time. */
function perTenant(r: SizeResult, fixed: FixedCost, time: (runs: readonly Measurement[]) => number): number {
  return (time(r.synth) - time(fixed.synth)) / r.tenants;
}

interface Target {
  readonly name: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

/** The platform-wide stacks whose bytes at some N differ from a synth of no tenants, as `stack (N=…)`. */
function grownPlatformStacks(results: readonly SizeResult[], fixed: FixedCost): string[] {
  const grown: string[] = [];
  for (const [name, none] of fixed.platformStacks) {
    const at = results.filter((r) => r.platformStacks.get(name)?.sha256 !== none.sha256).map((r) => r.tenants.toLocaleString('en-US'));
    if (at.length > 0) grown.push(`${name} (N=${at.join(', ')})`);
  }
  return grown;
}

function targets(results: readonly SizeResult[], fixed: FixedCost, npmTestMs: number | undefined): Target[] {
  const at = (n: number) => results.findIndex((r) => r.tenants === n);
  const i1000 = at(1000);
  const i100 = at(100);
  const r = i1000 >= 0 ? results[i1000] : undefined;
  const notMeasured = (what: string): Target => ({ name: what, measured: 'not measured (include 1000 in --sizes)', met: undefined });
  const list: Target[] = [];
  const ratioName = 'synth of 1,000 tenants: overhead ratio against the same-output baseline ≤ 1.5';
  if (r) {
    const ratios = r.synth.map((run, i) => run.wallMs / r.sameOutput[i].wallMs);
    list.push({ name: ratioName, measured: median(ratios).toFixed(2), met: median(ratios) <= 1.5 });
    list.push({ name: 'synth of 1,000 tenants: peak RSS < 2 GiB', measured: bytes(rss(r.synth)), met: rss(r.synth) < 2 * GIB });
  } else {
    list.push(notMeasured(ratioName), notMeasured('synth of 1,000 tenants: peak RSS < 2 GiB'));
  }
  const linearName = 'synth time per tenant at N = 1,000 within 1.2× of N = 100 (CPU time, fixed cost left out)';
  if (r && i100 >= 0) {
    const [cpu1000, cpu100] = [perTenant(r, fixed, cpu), perTenant(results[i100], fixed, cpu)];
    const [wall1000, wall100] = [perTenant(r, fixed, wall), perTenant(results[i100], fixed, wall)];
    list.push({
      name: linearName,
      measured: `${(cpu1000 / cpu100).toFixed(2)}× (${cpu1000.toFixed(0)} vs ${cpu100.toFixed(0)} ms; wall ${(wall1000 / wall100).toFixed(2)}×)`,
      met: cpu1000 <= 1.2 * cpu100,
    });
  } else {
    list.push({ name: linearName, measured: 'not measured (include 100 and 1000 in --sizes)', met: undefined });
  }
  if (r) {
    list.push({ name: '`validate` of 1,000 tenants < 2 s', measured: seconds(wall(r.validate)), met: wall(r.validate) < 2000 });
    list.push({ name: 'plan review of 1,000 vs 1,001 tenants < 5 s', measured: seconds(wall(r.planReview)), met: wall(r.planReview) < 5000 });
    list.push({ name: 'isolation proof of 1,000 tenants < 60 s', measured: seconds(wall(r.proof)), met: wall(r.proof) < 60_000 });
  } else {
    list.push(
      notMeasured('`validate` of 1,000 tenants < 2 s'),
      notMeasured('plan review of 1,000 vs 1,001 tenants < 5 s'),
      notMeasured('isolation proof of 1,000 tenants < 60 s'),
    );
  }
  const changed = grownPlatformStacks(results, fixed);
  list.push({
    name: "no stack that is not a tenant's grows with the tenants (each the same bytes at every N as with none)",
    measured: changed.length === 0 ? `${fixed.platformStacks.size} stacks, the same at every N` : `differ: ${changed.join(', ')}`,
    met: results.length === 0 ? undefined : changed.length === 0,
  });
  const prName = 'one-tenant pull-request path (`npm run pr:check`) at 1,000 tenants within 1.5× of 10 tenants';
  const [p10, p1000] = [at(10), i1000].map((i) => (i >= 0 ? results[i].prPath : undefined));
  if (!p10 || !p1000) list.push({ name: prName, measured: 'not measured (include 10 and 1000 in --sizes)', met: undefined });
  else if (p10.planMissing || p1000.planMissing)
    list.push({ name: prName, measured: `not measured: the offline plan did not run (${p1000.planMissing ?? p10.planMissing})`, met: undefined });
  else {
    const [t10, t1000] = [wall(p10.runs), wall(p1000.runs)];
    list.push({ name: prName, measured: `${(t1000 / t10).toFixed(2)}× (${seconds(t1000)} vs ${seconds(t10)})`, met: t1000 <= 1.5 * t10 });
  }
  list.push({
    name: '`npm test` < 2 min',
    measured: npmTestMs === undefined ? 'not measured (run with --npm-test)' : seconds(npmTestMs),
    met: npmTestMs === undefined ? undefined : npmTestMs < 120_000,
  });
  return list;
}

interface Machine {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly commit: string;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly minutes: number;
}

function commitOf(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? ' (with uncommitted changes)' : ''}`;
}

function loadText(load: readonly number[]): string {
  return load.map((value) => value.toFixed(2)).join(', ');
}

function renderResults(results: readonly SizeResult[], fixed: FixedCost, runs: number, machine: Machine, npmTestMs: number | undefined): string {
  const lines: string[] = [];
  const busy = Math.max(machine.loadBefore[0], machine.loadAfter[0]) > machine.cores * 0.75;
  lines.push(`Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memory}), Node ${machine.node}, commit ${machine.commit}.`);
  lines.push(
    `Median of ${runs} run${runs === 1 ? '' : 's'} per figure${runs < 3 ? ' (fewer than 3: a quick look, not a result)' : ''}; ${machine.minutes.toFixed(0)} minutes in all.`,
  );
  lines.push(
    `Load average (1, 5, 15 min) ${loadText(machine.loadBefore)} before and ${loadText(machine.loadAfter)} after` +
      (busy
        ? `: the machine was **not quiet** (other work on its ${machine.cores} cores), so times are longer than on an idle machine; ratios, measured side by side, suffer less.`
        : ': the machine was quiet.'),
  );
  lines.push('');
  lines.push(`### Synth (${[...fixed.platformStacks.keys()].join(' + ')} + two stacks per tenant)`);
  lines.push('');
  lines.push(
    '| Tenants | Stacks | Resources | Synth | CPU | Peak RSS | Per tenant | Per tenant, CPU | Same-output baseline | Its CPU | Its RSS | Overhead ratio | Ratio, CPU | Minimal baseline | Ratio to minimal |',
  );
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const sideBySide = (synth: readonly Measurement[], baseline: readonly Measurement[], time: (run: Measurement) => number) =>
    median(synth.map((run, j) => time(run) / time(baseline[j]))).toFixed(2);
  const row = (tenants: number, stacks: string, resources: string, runs: FixedCost, per: string, perCpu: string) => {
    const { synth, sameOutput, minimal } = runs;
    lines.push(
      `| ${tenants.toLocaleString('en-US')} | ${stacks} | ${resources} | ${seconds(wall(synth))} | ${seconds(cpu(synth))} | ${bytes(rss(synth))} | ${per} | ${perCpu} | ` +
        `${seconds(wall(sameOutput))} | ${seconds(cpu(sameOutput))} | ${bytes(rss(sameOutput))} | ${sideBySide(synth, sameOutput, (run) => run.wallMs)} | ` +
        `${sideBySide(synth, sameOutput, (run) => run.outcome.cpuMs)} | ${seconds(wall(minimal))} | ${sideBySide(synth, minimal, (run) => run.wallMs)} |`,
    );
  };
  row(0, String(fixed.platformStacks.size), '–', fixed, '–', '–');
  for (const r of results) {
    row(
      r.tenants,
      r.counts.project.stacks.toLocaleString('en-US'),
      r.counts.project.resources.toLocaleString('en-US'),
      r,
      `${perTenant(r, fixed, wall).toFixed(0)} ms`,
      `${perTenant(r, fixed, cpu).toFixed(0)} ms`,
    );
  }
  lines.push('');
  lines.push(
    'Per tenant: (synth of N tenants − synth of none) / N. Overhead ratio: project / same-output baseline (the same Terraform by plain cdktf), median of the ratios of runs made side by side. ' +
      'Ratio to minimal: project / minimal-argument baseline, for information (docs/scale.md, "The baselines").',
  );
  lines.push('');
  lines.push("### Stacks that are no tenant's");
  lines.push('');
  lines.push(`Size of each stack a synth of no tenants writes, and whether it is byte for byte the same with N tenants (sha-256 of its \`cdk.tf.json\`).`);
  lines.push('');
  lines.push(`| Stack | Resources | Output (KB) | ${results.map((r) => `N = ${r.tenants.toLocaleString('en-US')}`).join(' | ')} |`);
  lines.push(`|---|---:|---:|${results.map(() => ':---:|').join('')}`);
  for (const [name, none] of fixed.platformStacks) {
    const cells = results.map((r) => {
      const size = r.platformStacks.get(name);
      return size?.sha256 === none.sha256 ? 'same' : `**${size?.resources ?? 0} resources, ${((size?.bytes ?? 0) / 1000).toFixed(1)} KB**`;
    });
    lines.push(`| ${name} | ${none.resources} | ${(none.bytes / 1000).toFixed(1)} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  lines.push('### Other commands');
  lines.push('');
  lines.push('| Tenants | validate | validate peak RSS | plan review (N vs N+1) | isolation proof | proof peak RSS |');
  lines.push('|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    lines.push(
      `| ${r.tenants.toLocaleString('en-US')} | ${seconds(wall(r.validate))} | ${bytes(rss(r.validate))} | ${seconds(wall(r.planReview))} | ${seconds(wall(r.proof))} | ${bytes(rss(r.proof))} |`,
    );
  }
  lines.push('');
  lines.push('### The one-tenant pull-request path');
  lines.push('');
  lines.push(
    "`npm run pr:check` over the synth of N tenants, with one training tenant's budget and pool size changed (its account and tenant stacks): seconds per phase from its timings.json, and the whole process.",
  );
  lines.push('');
  const phaseNames = ['validate', 'synth', 'guardrails', 'proof', 'plan', 'review'];
  lines.push(`| Tenants | ${phaseNames.join(' | ')} | total | peak RSS |`);
  lines.push(`|---:|${phaseNames.map(() => '---:').join('|')}|---:|---:|`);
  for (const r of results) {
    const phase = (name: string) => {
      const values = r.prPath.phases.map((p) => p[name]).filter((v): v is number => v !== undefined);
      return values.length === 0 ? (name === 'plan' ? 'not run' : '–') : seconds(median(values) * 1000);
    };
    lines.push(
      `| ${r.tenants.toLocaleString('en-US')} | ${phaseNames.map(phase).join(' | ')} | ${seconds(wall(r.prPath.runs))} | ${bytes(rss(r.prPath.runs))} |`,
    );
  }
  const missing = results.find((r) => r.prPath.planMissing)?.prPath.planMissing;
  if (missing) lines.push('', `The offline plan did not run: ${missing.replace(/`/g, "'")}`);
  lines.push('');
  lines.push('### Targets');
  lines.push('');
  lines.push('| Target | Measured | Met |');
  lines.push('|---|---:|:---:|');
  for (const target of targets(results, fixed, npmTestMs))
    lines.push(`| ${target.name} | ${target.measured} | ${target.met === undefined ? '–' : target.met ? 'yes' : '**no**'} |`);
  lines.push('');
  lines.push('### Comparability of the baselines');
  lines.push('');
  lines.push('Each figure as project / same-output baseline / minimal baseline.');
  lines.push('');
  lines.push('| Tenants | Resources | Uses of cross-stack outputs | Output (MB) |');
  lines.push('|---:|---:|---:|---:|');
  const three = (r: SizeResult, figure: (counts: OutputCounts) => string) => [r.counts.project, r.counts.sameOutput, r.counts.minimal].map(figure).join(' / ');
  for (const r of results) {
    lines.push(
      `| ${r.tenants.toLocaleString('en-US')} | ${three(r, (c) => c.resources.toLocaleString('en-US'))} | ${three(r, (c) => c.remoteUses.toLocaleString('en-US'))} | ` +
        `${three(r, (c) => (c.bytes / 1e6).toFixed(1))} |`,
    );
  }
  lines.push('');
  lines.push('Last result lines of the largest size:');
  lines.push('');
  const last = results[results.length - 1];
  for (const runs of [last.validate, last.synth, last.sameOutput, last.planReview, last.proof, last.prPath.runs])
    lines.push(`- \`${runs[runs.length - 1].result.replace(/`/g, "'")}\``);
  return lines.join('\n');
}

const BEGIN = '<!-- Generated by `npm run bench`: start. Everything up to the end marker is replaced on each run. -->';
const END = '<!-- Generated by `npm run bench`: end. -->';

/** Replaces the generated block of `file`, keeping the text around it. */
function writeResults(file: string, generated: string): void {
  const block = `${BEGIN}\n${generated}\n${END}`;
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = existing.indexOf(BEGIN);
  const end = existing.indexOf(END);
  const text =
    start >= 0 && end > start
      ? `${existing.slice(0, start)}${block}${existing.slice(end + END.length)}`
      : `# Benchmark results\n\nWritten by \`npm run bench\` (see docs/scale.md).\n\n${block}\n${existing ? `\n${existing}` : ''}`;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function timeNpmTest(progress: Progress): number {
  progress('npm test: running');
  const started = process.hrtime.bigint();
  // Its output can pass spawnSync's 1 MiB default, which kills the run: room for 256 MiB.
  const run = spawnSync('npm', ['test', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8', env: process.env, maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0)
    throw new CliFailure(
      `npm test failed (exit ${run.status ?? run.signal ?? run.error?.message}) after ${seconds(ms)}:\n  ${`${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-8).join('\n  ')}`,
    );
  progress(`npm test: ${seconds(ms)}`);
  return ms;
}

function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError(`--sizes takes positive whole numbers separated by commas, got '${text}'`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

async function bench(args: string[]): Promise<string> {
  const { flags, positional } = parseFlags(args, ['sizes', 'runs', 'results'], ['npm-test', 'keep']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const sizes = parseSizes(flags.sizes ?? '10,100,1000');
  const runs = Number(flags.runs ?? '3');
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs takes a whole number of at least 1, got '${flags.runs}'`);
  const resultsFile = path.resolve(flags.results ?? DEFAULT_RESULTS);
  const progress: Progress = (line) => process.stderr.write(`bench: ${line}\n`);
  const started = Date.now();
  const loadBefore = os.loadavg();
  progress(`sizes ${sizes.join(', ')}, ${runs} run${runs === 1 ? '' : 's'} each; load average ${loadText(loadBefore)} on ${os.cpus().length} cores`);

  const workRoot = mkdtempSync(path.join(os.tmpdir(), 'mlp-bench-'));
  const results: SizeResult[] = [];
  let fixed: FixedCost;
  try {
    fixed = await measureFixedCost(runs, workRoot, progress);
    for (const n of sizes) results.push(await measureSize(n, runs, workRoot, fixed, progress));
  } finally {
    if (flags.keep) progress(`kept the tenants and synth outputs in ${workRoot}`);
    else rmSync(workRoot, { recursive: true, force: true });
  }
  const npmTestMs = flags['npm-test'] ? timeNpmTest(progress) : undefined;
  const machine: Machine = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    node: process.version,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    memory: bytes(os.totalmem()),
    commit: commitOf(),
    loadBefore,
    loadAfter: os.loadavg(),
    minutes: (Date.now() - started) / 60_000,
  };
  writeResults(resultsFile, renderResults(results, fixed, runs, machine, npmTestMs));
  const measured = targets(results, fixed, npmTestMs).filter((target) => target.met !== undefined);
  const missed = measured.filter((target) => !target.met);
  const summary = `${measured.length - missed.length} of ${measured.length} targets measured are met; tables in ${path.relative(process.cwd(), resultsFile) || resultsFile} (${machine.minutes.toFixed(1)} min)`;
  if (missed.length > 0) throw new CliFailure(`missed: ${missed.map((target) => target.name).join('; ')}. ${summary}`);
  return `ok: ${summary}`;
}

runCli('bench', USAGE, bench);
