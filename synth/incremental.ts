/**
 * Incremental synthesis for a pull request: from the output of the base branch (with its
 * synth record) and the head's files, synthesize only the stacks of the tenants whose file
 * is new or changed, and carry every other stack over from the base (hard links). The
 * result is the output a full synth of the head writes, byte for byte
 * (test/synth/incremental.test.ts compares every file).
 *
 * It falls back to a full synth, and says why, whenever reuse could be wrong: no usable
 * base record, other code (synth/code-digest.ts), platform.yaml changed, a base output that
 * does not hold what its record says, or a platform-wide stack that comes out different
 * from the base's (it must not depend on the tenant set; test/stacks/platform.test.ts).
 * The output directory is staged and swapped in as a full synth does (stacks/output-dir.ts).
 */
import { copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { inputDigest, recordedInputs, type InputDigest } from '../config/input-digest';
import { loadConfig } from '../config/load';
import { accountStackName, STACK, tenantStackName } from '../config/names';
import { withoutTokenStackTraces } from '../constructs/common/cdktf-internals';
import { InputError } from '../kernel/errors';
import { isRecord } from '../kernel/records';
import { parseStack, readStackBytes, readSynthManifest, type StackEntry, type SynthOutput } from '../kernel/synth-output';
import { tenantAccountId } from '../stacks/account-stack';
import { checkOutputDir, createStaging, removeStaging, replaceOutput } from '../stacks/output-dir';
import { platformWideStacks } from '../stacks/platform';
import { readSynthRecord, writeSynthRecord } from '../stacks/synth-record';
import { codeDigest } from './code-digest';
import { synthesizeWithGuardrails } from './collect-errors';
import { buildCheckedTenants } from './platform';
import { synthesize, type SynthOptions, type SynthResult } from './synthesize';

export interface IncrementalSynthOptions extends SynthOptions {
  /** The base branch's synth output (with its synth-inputs.json). */
  readonly base: string;
}

export interface IncrementalSynthResult extends SynthResult {
  readonly mode: 'incremental' | 'full';
  /** Why a full synth ran instead of an incremental one. */
  readonly fallback?: string;
  /** Tenants whose stacks were synthesized (new or changed file); every tenant after a full synth. */
  readonly changed: readonly string[];
  /** Tenants of the base without a file in the head. */
  readonly removed: readonly string[];
  /** Stacks carried over from the base unchanged. */
  readonly reused: number;
}

const TENANT_FILE = /^tenants\/(.+)\.yaml$/;

/** The tenant names of a digest's files, with each file's digest. */
function tenantDigests(digest: InputDigest): Map<string, string> {
  const tenants = new Map<string, string>();
  for (const [file, sha] of Object.entries(digest.files)) {
    const match = TENANT_FILE.exec(file);
    if (match) tenants.set(match[1], sha);
  }
  return tenants;
}

type Plan =
  | { readonly kind: 'full'; readonly reason: string }
  | { readonly kind: 'incremental'; readonly base: SynthOutput; readonly changed: string[]; readonly removed: string[]; readonly unchanged: string[] };

/** Whether the base can be reused, and which tenants changed; every reason for a full synth names the fix. */
export function planIncremental(baseDir: string, head: InputDigest, platformFileName: string, platformWide: readonly string[]): Plan {
  const record = readSynthRecord(baseDir);
  if (!record) return { kind: 'full', reason: `${baseDir} has no synth record (synth-inputs.json): it is not a synth output of this project` };
  if (record.code !== codeDigest())
    return {
      kind: 'full',
      reason: `${baseDir} was synthesized by other code (the synth's or the proof's sources or package-lock.json differ, or an older synth)`,
    };
  if (record.files[platformFileName] !== head.files[platformFileName]) return { kind: 'full', reason: `${platformFileName} changed` };
  let base: SynthOutput;
  try {
    base = readSynthManifest(baseDir, 'base synth output');
  } catch (error) {
    if (error instanceof InputError) return { kind: 'full', reason: `the base output cannot be read (${error.message})` };
    throw error;
  }
  const before = tenantDigests(record);
  const after = tenantDigests(head);
  const expected = [...platformWide, ...[...before.keys()].flatMap((t) => [accountStackName(t), tenantStackName(t)])].sort();
  const listed = [...base.stacks.keys()].sort();
  if (expected.join('\n') !== listed.join('\n') || listed.some((name) => !isFile((base.stacks.get(name) as StackEntry).file)))
    return { kind: 'full', reason: `${baseDir} does not hold the stacks its synth record names (an edited or partial output)` };
  const changed = [...after.keys()].filter((t) => before.get(t) !== after.get(t)).sort();
  const removed = [...before.keys()].filter((t) => !after.has(t)).sort();
  const unchanged = [...after.keys()].filter((t) => before.get(t) === after.get(t)).sort();
  return { kind: 'incremental', base, changed, removed, unchanged };
}

function isFile(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}

/** The unique ids of the resources under the tenant's account in its base account stack (the cross-tenant guardrail's identity). */
function accountIdsFromBase(base: SynthOutput, tenant: string): string[] {
  const entry = base.stacks.get(accountStackName(tenant)) as StackEntry;
  const config = parseStack(entry, readStackBytes(entry));
  const prefix = `${accountStackName(tenant)}/${tenantAccountId(tenant)}/`;
  const ids: string[] = [];
  for (const resources of Object.values(isRecord(config.resource) ? config.resource : {})) {
    if (!isRecord(resources)) continue;
    for (const [id, resource] of Object.entries(resources)) {
      const meta = isRecord(resource) && isRecord(resource['//']) && isRecord(resource['//'].metadata) ? resource['//'].metadata : undefined;
      if (typeof meta?.path === 'string' && meta.path.startsWith(prefix)) ids.push(id);
    }
  }
  return ids;
}

/** Hard-links (or copies, across file systems) a base stack's directory into the staging output. */
function carryOver(entry: StackEntry, baseDir: string, staging: string): void {
  const from = path.dirname(entry.file);
  const to = path.join(staging, path.relative(baseDir, from));
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from, { withFileTypes: true })) {
    if (!file.isFile()) continue;
    const source = path.join(from, file.name);
    try {
      linkSync(source, path.join(to, file.name));
    } catch {
      copyFileSync(source, path.join(to, file.name));
    }
  }
}

class PlatformStackChanged extends Error {}

/**
 * Synthesizes the head into `outdir` reusing `base`: only the changed tenants' stacks are
 * built, checked by the guardrails and written; a full synth runs instead when reuse is not
 * safe (the result says why). Throws as `synthesize` does (ConfigError, GuardrailViolations,
 * OutputDirRefused), with nothing written.
 */
export function synthesizeIncrementally(options: IncrementalSynthOptions): IncrementalSynthResult {
  const progress = options.progress ?? (() => undefined);
  const digest = inputDigest(options.paths);
  const config = options.config ?? loadConfig(options.paths);
  checkOutputDir(options.outdir, options.paths);
  const plan = planIncremental(options.base, digest, path.basename(options.paths.platformFile), Object.values(STACK));
  const full = (reason: string): IncrementalSynthResult => {
    progress(`full synth: ${reason}`);
    const result = synthesize({ ...options, config });
    return { ...result, mode: 'full', fallback: reason, changed: config.tenants.map((t) => t.name), removed: [], reused: 0 };
  };
  if (plan.kind === 'full') return full(plan.reason);
  const { base, changed, removed, unchanged } = plan;
  progress(
    `incremental synth: ${changed.length} changed or new tenant${changed.length === 1 ? '' : 's'}, ${removed.length} removed, ${unchanged.length} unchanged`,
  );
  const staging = createStaging(options.outdir, progress);
  try {
    const app = new App({ outdir: staging, skipValidation: false });
    // The unchanged tenants' stacks keep their base manifest entries; the manifest is written sorted.
    const carried = unchanged.flatMap((t) => [accountStackName(t), tenantStackName(t)]).map((name) => base.stacks.get(name) as StackEntry);
    for (const entry of carried) (app.manifest.stacks as Record<string, unknown>)[entry.name] = entry.manifestEntry;
    const built = withoutTokenStackTraces(() => {
      const stacks = buildCheckedTenants(app, config, new Set(changed), (tenant) => accountIdsFromBase(base, tenant));
      synthesizeWithGuardrails(app);
      return stacks;
    });
    // Written again with the head's tenants, each must equal the base's: nothing shared depends on the tenant set.
    for (const name of platformWideStacks(built).map((stack) => stack.node.id)) {
      const entry = base.stacks.get(name) as StackEntry;
      const fresh = readFileSync(path.join(staging, path.relative(options.base, entry.file)));
      if (!fresh.equals(readStackBytes(entry))) throw new PlatformStackChanged(`the platform-wide stack ${name} differs from the base's`);
    }
    for (const entry of carried) carryOver(entry, options.base, staging);
    writeSynthRecord(staging, recordedInputs(options.paths), digest, codeDigest());
    replaceOutput(staging, options.outdir, options.paths);
    return {
      stacks: Object.keys(app.manifest.stacks),
      tenants: config.tenants.length,
      outdir: options.outdir,
      mode: 'incremental',
      changed,
      removed,
      reused: carried.length,
      built,
    };
  } catch (error) {
    removeStaging(staging);
    if (error instanceof PlatformStackChanged) return full(error.message);
    throw error;
  }
}
