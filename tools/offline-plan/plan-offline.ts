/**
 * `planOffline`: every stack of a synth output through `terraform init`,
 * `plan -refresh=false` (which validates first) and `show -json`, in a working directory of
 * its own, without AWS credentials, remote state or network.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { displayPath, fsProblem } from '../../config/read-text';
import { makeDirectories, OutputDirRefused } from '../../stacks/output-dir';
import { commandFailure, ConfigLocator, formatConfig, streamDiagnostics, validateDiagnostics } from './diagnostics';
import { countResources, makeOfflineCopy } from './offline-copy';
import { findTooling, runTerraform, terraformEnv, writeCliConfig, type TerraformTooling } from './terraform';
import type { PlanDiagnostic, StackPlanResult } from './types';
import {
  DEFAULT_SYNTH_DIR,
  parseStack,
  readStackBytes,
  readSynthManifest,
  readSynthOutput,
  type StackEntry,
  type SynthesizedStack,
} from '../../kernel/synth-output';
import { countCreates, DEFAULT_PLANS_DIR, PLAN_JSON_FILE, planJsonPath } from '../../kernel/plan-json';
import { checkStackObjects, clusterMinorVersion } from '../kubernetes-schema/validate';

export { DEFAULT_SYNTH_DIR };
export const DEFAULT_WORK_DIR = DEFAULT_PLANS_DIR;

/** Files in `<workDir>/<stack>/` other tools read. */
export const STACK_FILES = {
  /** `terraform show -json` of the plan; only present when the stack planned. */
  planJson: PLAN_JSON_FILE,
  /** This stack's StackPlanResult as JSON. */
  result: 'result.json',
  /** The offline configuration Terraform read. */
  config: 'cdk.tf.json',
  planBinary: 'plan.tfplan',
  log: 'terraform.log',
} as const;

/** All stacks' results, `<workDir>/results.json`. */
export const RESULTS_FILE = 'results.json';
const CLI_CONFIG_FILE = 'terraform.rc';
/** Init's note that a mirror gives only this platform's checksums: true, and the lock file is the tool's own. */
const LOCK_FILE_WARNING = 'Incomplete lock file information for providers';
const PLUGIN_CACHE_DIR = 'plugin-cache';

export { planJsonPath };

export interface PlanOfflineOptions {
  /** cdktf synth output. @default cdktf.out */
  readonly synthDir?: string;
  /** @default .plan-offline */
  readonly workDir?: string;
  /** Only these stacks. @default every stack of the synth output */
  readonly stacks?: readonly string[];
  /** Let Terraform download providers the mirror lacks instead of leaving their resources out. */
  readonly online?: boolean;
  /** Stacks planned at once. @default the number of cores */
  readonly concurrency?: number;
  /** PATH and TF_PLUGIN_MIRROR are read from here. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly progress?: (line: string) => void;
}

/** A stack name not in the synth output. */
export class UnknownStackError extends Error {}

/**
 * Plans every stack offline. Throws OfflinePlanUnavailable when terraform or the mirror is
 * missing, InputError when the synth output is, before touching the work directory.
 */
export async function planOffline(options: PlanOfflineOptions = {}): Promise<StackPlanResult[]> {
  const env = options.env ?? process.env;
  const online = options.online ?? false;
  const progress = options.progress ?? (() => undefined);
  const workDir = path.resolve(options.workDir ?? DEFAULT_WORK_DIR);
  const tooling = findTooling(env, online);
  const allStacks = readStacksFor(options.synthDir ?? DEFAULT_SYNTH_DIR, options.stacks);
  const selected = selectStacks(allStacks, options.stacks);

  try {
    makeDirectories(path.join(workDir, PLUGIN_CACHE_DIR));
  } catch (error) {
    throw new OutputDirRefused(`cannot create the work directory ${displayPath(workDir)}: ${fsProblem(error)}; pass --work <a writable directory>`);
  }
  const cliConfig = path.join(workDir, CLI_CONFIG_FILE);
  writeCliConfig(cliConfig, path.join(workDir, PLUGIN_CACHE_DIR), tooling, online);
  if (!options.stacks) removeStaleStackDirs(workDir, allStacks);
  progress(
    `terraform ${tooling.version}, ${tooling.mirrorDir ? `mirror ${tooling.mirrorDir}` : 'no mirror'}${online ? ', online' : ''}; planning ${selected.length} stack${selected.length === 1 ? '' : 's'}`,
  );

  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  // Largest first, so the longest plan does not start last.
  const queue = [...selected].sort((a, b) => countResources(b.config) - countResources(a.config));
  const results = new Map<string, StackPlanResult>();
  const initLock = new Serial();
  const worker = async () => {
    for (let stack = queue.shift(); stack; stack = queue.shift()) {
      const result = await planStack(stack, { initLock, allStacks, tooling, online, workDir, env: terraformEnv(env, cliConfig) });
      results.set(stack.name, result);
      progress(`${stack.name}: ${result.status}, ${result.resourcesToCreate} to create (${result.seconds.toFixed(1)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, selected.length) }, worker));

  const ordered = selected.map((stack) => results.get(stack.name)!);
  writeFileSync(path.join(workDir, RESULTS_FILE), `${JSON.stringify(ordered, null, 2)}\n`);
  return ordered;
}

/**
 * Every stack of the output; with `names`, only those and the stacks they depend on (whose
 * outputs they read, for the placeholders), so that planning two stacks of a thousand-tenant
 * output parses a handful of files, not two thousand.
 */
function readStacksFor(dir: string, names: readonly string[] | undefined): SynthesizedStack[] {
  if (!names) return readSynthOutput(dir);
  const manifest = readSynthManifest(dir);
  const unknown = names.filter((name) => !manifest.stacks.has(name));
  if (unknown.length > 0)
    throw new UnknownStackError(
      `no stack named ${unknown.map((n) => `'${n}'`).join(', ')} in the synth output; stacks: ${[...manifest.stacks.keys()].join(', ')}`,
    );
  const needed = new Set<string>();
  const visit = (name: string) => {
    const entry = manifest.stacks.get(name);
    if (!entry || needed.has(name)) return;
    needed.add(name);
    for (const dependency of entry.dependencies) visit(dependency);
  };
  for (const name of names) visit(name);
  return [...needed]
    .sort()
    .map((name) => manifest.stacks.get(name) as StackEntry)
    .map((entry) => ({ name: entry.name, file: entry.file, config: parseStack(entry, readStackBytes(entry)) }));
}

function selectStacks(allStacks: readonly SynthesizedStack[], names: readonly string[] | undefined): SynthesizedStack[] {
  if (!names) return [...allStacks];
  const unknown = names.filter((name) => !allStacks.some((stack) => stack.name === name));
  if (unknown.length > 0)
    throw new UnknownStackError(
      `no stack named ${unknown.map((n) => `'${n}'`).join(', ')} in the synth output; stacks: ${allStacks.map((s) => s.name).join(', ')}`,
    );
  return allStacks.filter((stack) => names.includes(stack.name));
}

/** A stack removed from the synth output must not leave a plan behind that other tools would read. */
function removeStaleStackDirs(workDir: string, allStacks: readonly SynthesizedStack[]): void {
  const current = new Set(allStacks.map((stack) => stack.name));
  for (const entry of readdirSync(workDir)) {
    if (!current.has(entry) && existsSync(path.join(workDir, entry, STACK_FILES.config))) rmSync(path.join(workDir, entry), { recursive: true, force: true });
  }
}

/** Runs one task at a time: Terraform's plugin cache is not safe for concurrent `init`s. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface StackContext {
  readonly initLock: Serial;
  readonly allStacks: readonly SynthesizedStack[];
  readonly tooling: TerraformTooling;
  readonly online: boolean;
  readonly workDir: string;
  readonly env: NodeJS.ProcessEnv;
}

async function planStack(stack: SynthesizedStack, context: StackContext): Promise<StackPlanResult> {
  const started = Date.now();
  const dir = path.join(context.workDir, stack.name);
  mkdirSync(dir, { recursive: true });
  // Terraform's own files (.terraform, the lock file) stay for a faster next run; our outputs never do.
  for (const file of [STACK_FILES.planJson, STACK_FILES.planBinary, STACK_FILES.result, STACK_FILES.log, 'inputs', 'terraform.tfstate']) {
    rmSync(path.join(dir, file), { recursive: true, force: true });
  }

  const copy = makeOfflineCopy(stack, { allStacks: context.allStacks, mirror: context.online ? undefined : context.tooling.mirror });
  const text = formatConfig(copy.config);
  writeFileSync(path.join(dir, STACK_FILES.config), text);
  for (const [file, state] of copy.inputs) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), `${JSON.stringify(state, null, 2)}\n`);
  }

  const locator = new ConfigLocator(copy.config, text);
  const diagnostics: PlanDiagnostic[] = [...copy.diagnostics];
  // The kubernetes provider is not in the mirror: its objects are checked against the API schemas instead.
  const schema = await checkStackObjects(stack.name, stack.config, clusterMinorVersion(context.allStacks));
  for (const problem of schema.problems) diagnostics.push({ severity: 'error', stage: 'schema', summary: problem });
  const log: string[] = [];
  const run = async (args: string[], stdoutFile?: string) => {
    const commandStarted = Date.now();
    const result = await runTerraform(context.tooling.terraform, args, dir, context.env, stdoutFile);
    log.push(`$ terraform ${args.join(' ')}  (exit ${result.code}, ${((Date.now() - commandStarted) / 1000).toFixed(1)} s)`, result.stdout, result.stderr);
    return result;
  };
  const finish = (resourcesToCreate: number, planned: boolean): StackPlanResult => {
    const result: StackPlanResult = {
      stack: stack.name,
      status: planned && !diagnostics.some((d) => d.severity === 'error') ? 'valid' : 'invalid',
      workDir: dir,
      planJsonPath: planned ? path.join(dir, STACK_FILES.planJson) : undefined,
      resourcesToCreate,
      resourcesInStack: countResources(stack.config),
      diagnostics,
      notValidated: copy.notValidated,
      schemaValidated: schema.validated,
      seconds: (Date.now() - started) / 1000,
    };
    writeFileSync(path.join(dir, STACK_FILES.log), log.join('\n'));
    writeFileSync(path.join(dir, STACK_FILES.result), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  };

  const init = await context.initLock.run(() => run(['init', '-input=false', '-no-color', '-json']));
  const initDiagnostics = streamDiagnostics(init.stdout)
    .map((d) => locator.toPlanDiagnostic('init', d))
    .filter((d) => !d.summary.startsWith(LOCK_FILE_WARNING));
  diagnostics.push(...initDiagnostics);
  if (init.code !== 0) {
    if (!initDiagnostics.some((d) => d.severity === 'error')) diagnostics.push(commandFailure('init', init.code, init.stderr, init.stdout));
    return finish(0, false);
  }

  // `terraform plan` validates the configuration first and reports exactly what
  // `terraform validate` would; a separate validate loads the 700 MB provider's schema once
  // more per stack, so it runs only where the plan cannot.
  if (!copy.plannable) {
    const validate = await run(['validate', '-json', '-no-color']);
    const validateFound = validateDiagnostics(validate.stdout);
    diagnostics.push(...(validateFound ?? []).map((d) => locator.toPlanDiagnostic('validate', d)));
    if (validateFound === undefined) diagnostics.push(commandFailure('validate', validate.code, validate.stderr, validate.stdout));
    return finish(0, false);
  }

  const plan = await run(['plan', '-refresh=false', '-lock=false', '-input=false', '-no-color', '-json', `-out=${STACK_FILES.planBinary}`]);
  const planDiagnostics = streamDiagnostics(plan.stdout).map((d) => locator.toPlanDiagnostic('plan', d));
  diagnostics.push(...planDiagnostics);
  if (plan.code !== 0) {
    if (!planDiagnostics.some((d) => d.severity === 'error')) diagnostics.push(commandFailure('plan', plan.code, plan.stderr, plan.stdout));
    return finish(0, false);
  }

  const planJson = path.join(dir, STACK_FILES.planJson);
  const show = await run(['show', '-json', '-no-color', STACK_FILES.planBinary], planJson);
  if (show.code !== 0) {
    rmSync(planJson, { force: true });
    diagnostics.push(commandFailure('show', show.code, show.stderr, ''));
    return finish(0, false);
  }
  return finish(countCreates(planJson), true);
}
