/** Synthesizes the platform in-process into a temporary directory and reads the stacks back. */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { ACCOUNT_STACK_PREFIX } from '../../config/names';
import { evaluateTemplate, formatReference, HclError } from '../../kernel/hcl';
import { readSynthManifest } from '../../kernel/synth-output';
import { synthesize } from '../../synth/synthesize';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir } from './config-fixtures';

/** A synthesized stack's `cdk.tf.json`. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown }>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly terraform?: Record<string, unknown>;
}

export interface Synthesized {
  readonly outdir: string;
  readonly stacks: Record<string, StackJson>;
  /** Raw file text by stack, for byte comparisons. */
  readonly text: Record<string, string>;
}

/**
 * Synthesizes a tenant directory into a fresh `cdktf.out` the caller owns. The samples (the
 * repository's platform.yaml and tenants/) are synthesized once per test run and copied:
 * some thirty test files read them. `fresh` synthesizes them again, for the tests of the
 * synth itself.
 */
export function synthInto(outdir: string, tenantsDir = SAMPLE_TENANTS_DIR, platformFile = PLATFORM_FILE, options: { fresh?: boolean } = {}): void {
  const samples = path.resolve(tenantsDir) === SAMPLE_TENANTS_DIR && path.resolve(platformFile) === PLATFORM_FILE;
  const scratch = process.env.ML_PLATFORM_TEST_SCRATCH;
  if (!samples || options.fresh || !scratch) {
    synthesize({ paths: { platformFile, tenantsDir }, outdir });
    return;
  }
  const shared = path.join(scratch, 'samples-synth');
  if (!existsSync(shared)) {
    const building = mkdtempSync(path.join(scratch, 'samples-synth-'));
    synthesize({ paths: { platformFile, tenantsDir }, outdir: path.join(building, 'cdktf.out') });
    try {
      renameSync(building, shared); // atomic: a reader sees all of it or nothing
    } catch {
      rmSync(building, { recursive: true, force: true }); // another test file got there first
    }
  }
  cpSync(path.join(shared, 'cdktf.out'), outdir, { recursive: true });
}

export function synthPlatform(tenantsDir = SAMPLE_TENANTS_DIR, platformFile = PLATFORM_FILE, options: { fresh?: boolean } = {}): Synthesized {
  const outdir = path.join(tempDir('mlp-synth-'), 'cdktf.out');
  synthInto(outdir, tenantsDir, platformFile, options);
  const stacks: Record<string, StackJson> = {};
  const text: Record<string, string> = {};
  for (const name of readSynthManifest(outdir).stacks.keys()) {
    text[name] = readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8');
    stacks[name] = JSON.parse(text[name]) as StackJson;
  }
  return { outdir, stacks, text };
}

/** Resources of one type as [logical name, body] pairs. */
export function resourcesOf(stack: StackJson, type: string): [string, Record<string, any>][] {
  return Object.entries(stack.resource?.[type] ?? {});
}

/** Bodies of the resources of one type whose construct path contains `pathPart`. */
export function bodies(stack: StackJson, type: string, pathPart = ''): Record<string, any>[] {
  return resourcesOf(stack, type)
    .filter(([, body]) => String(body['//']?.metadata?.path ?? '').includes(pathPart))
    .map(([, body]) => body);
}

/** The single resource of a type (under `pathPart`); fails the test if there is not exactly one. */
export function single(stack: StackJson, type: string, pathPart = ''): Record<string, any> {
  const found = bodies(stack, type, pathPart);
  if (found.length !== 1) throw new Error(`expected one ${type} under '${pathPart}', found ${found.length}`);
  return found[0];
}

/**
 * A synthesized provider value as Terraform would evaluate it for one identity mode
 * (`var.mode`); another stack's outputs (a vended account id) read as `<remote>`.
 */
export function underMode(text: string, mode: 'plan' | 'deploy'): string {
  const value = evaluateTemplate(text, {
    reference: (r) => {
      if (r.root === 'var' && r.steps[0] === 'mode') return mode;
      if (r.root === 'data' && r.steps[0] === 'terraform_remote_state') return '<remote>';
      // A resource of the same stack (a vended account's id) before it exists.
      if (r.root.startsWith('aws_')) return '<unknown>';
      throw new HclError(`unexpected reference ${formatReference(r)}`);
    },
  });
  return String(value);
}

/** Every `account-<tenant>` stack's resources merged into one view (they never share a resource name). */
export function accountStacks(stacks: Record<string, StackJson>): StackJson {
  const resource: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [name, stack] of Object.entries(stacks)) {
    if (!name.startsWith(ACCOUNT_STACK_PREFIX)) continue;
    for (const [type, byName] of Object.entries(stack.resource ?? {})) resource[type] = { ...resource[type], ...byName };
  }
  return { resource };
}
