/**
 * Reads a synthesized cdktf output directory: `manifest.json` names the stacks and where
 * each `cdk.tf.json` is. Stack files are read as bytes first, so that stacks identical on
 * both sides are skipped without parsing: a one-tenant change among a thousand tenants
 * parses two or three files, not two thousand.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { TENANT_STACK_PREFIX } from '../../config/names';

/** A problem with the inputs (missing directory, unreadable or malformed file): exit 2. */
export class ReviewInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ReviewInputError';
  }
}

export interface StackEntry {
  readonly name: string;
  /** Absolute path of the stack's `cdk.tf.json`. */
  readonly file: string;
  /** Names of the stacks this one reads outputs from (deploy them first). */
  readonly dependencies: readonly string[];
}

export interface SynthOutput {
  readonly dir: string;
  readonly stacks: ReadonlyMap<string, StackEntry>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks `<dir>/manifest.json`; every problem is reported, none is a crash. */
export function readSynthOutput(dir: string, label: string): SynthOutput {
  const manifestFile = path.join(dir, 'manifest.json');
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new ReviewInputError([`${dir}: ${label} directory not found; run \`npm run synth\` with CDKTF_OUTDIR=${dir}`]);
  }
  if (!stat.isDirectory()) throw new ReviewInputError([`${dir}: ${label} is not a directory; give the synth output directory (it holds manifest.json)`]);
  let text: string;
  try {
    text = readFileSync(manifestFile, 'utf8');
  } catch {
    throw new ReviewInputError([`${manifestFile}: not found; ${dir} is not a synth output (run \`npm run synth\` with CDKTF_OUTDIR=${dir})`]);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new ReviewInputError([`${manifestFile}: not valid JSON (${(error as Error).message}); synthesize again`]);
  }
  if (!isRecord(manifest) || !isRecord(manifest.stacks)) {
    throw new ReviewInputError([`${manifestFile}: has no "stacks" object; is it a cdktf manifest? Synthesize again`]);
  }
  const stacks = new Map<string, StackEntry>();
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(manifest.stacks)) {
    const synthesized = isRecord(raw) ? raw.synthesizedStackPath : undefined;
    if (typeof synthesized !== 'string') {
      problems.push(`${manifestFile}: stack '${name}' has no synthesizedStackPath; synthesize again`);
      continue;
    }
    const dependencies = isRecord(raw) && Array.isArray(raw.dependencies) ? raw.dependencies.filter((d): d is string => typeof d === 'string') : [];
    stacks.set(name, { name, file: path.resolve(dir, synthesized), dependencies });
  }
  if (problems.length > 0) throw new ReviewInputError(problems);
  return { dir, stacks };
}

/** The raw bytes of a stack file; a missing file is an input error. */
export function readStackBytes(entry: StackEntry): Buffer {
  try {
    return readFileSync(entry.file);
  } catch {
    throw new ReviewInputError([`${entry.file}: stack '${entry.name}' is in manifest.json but its file is missing; synthesize again`]);
  }
}

/** Parses a stack file's bytes; malformed JSON is an input error naming the file. */
export function parseStack(entry: StackEntry, bytes: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ReviewInputError([`${entry.file}: not valid JSON (${(error as Error).message}); synthesize again`]);
  }
  if (!isRecord(parsed)) throw new ReviewInputError([`${entry.file}: expected a JSON object (a cdk.tf.json stack); synthesize again`]);
  return parsed;
}

/** Stack names in deploy order: dependencies first, ties broken by name for stable output. */
export function deployOrder(names: Iterable<string>, stacks: ReadonlyMap<string, StackEntry>): string[] {
  const wanted = new Set(names);
  const order: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const dependency of [...(stacks.get(name)?.dependencies ?? [])].sort()) visit(dependency);
    visiting.delete(name);
    done.add(name);
    if (wanted.has(name)) order.push(name);
  };
  for (const name of [...wanted].sort(platformFirst)) visit(name);
  return order;
}

/** organization, shared, shared-k8s, then tenant stacks by name. */
function platformFirst(a: string, b: string): number {
  const rank = (name: string) => (name.startsWith(TENANT_STACK_PREFIX) ? 1 : 0);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
