/**
 * The one reader of a synth output directory: `manifest.json` names the stacks and where
 * each `cdk.tf.json` is. Every problem (missing directory, manifest or stack file,
 * malformed JSON) is an InputError naming the file and the fix, never a crash. Stack files
 * can be read as bytes first, so that a comparison skips identical stacks without parsing.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from './errors';
import { isRecord } from './records';
import type { TerraformJson } from './terraform-json';

/** The output directory when neither `--synth` nor CDKTF_OUTDIR names one. */
export const DEFAULT_SYNTH_DIR = 'cdktf.out';

export interface StackEntry {
  readonly name: string;
  /** Absolute path of the stack's `cdk.tf.json`. */
  readonly file: string;
  /** Names of the stacks this one reads outputs from (deploy them first). */
  readonly dependencies: readonly string[];
  /** The stack's entry in manifest.json as written (an incremental synth carries it over). */
  readonly manifestEntry: Readonly<Record<string, unknown>>;
}

export interface SynthOutput {
  readonly dir: string;
  readonly stacks: ReadonlyMap<string, StackEntry>;
}

export interface SynthesizedStack {
  readonly name: string;
  readonly file: string;
  readonly config: TerraformJson;
}

const RESYNTH = (dir: string) => `run 'npm run synth' with CDKTF_OUTDIR=${dir}, or pass --synth <dir>`;

/** Reads and checks `<dir>/manifest.json`; `label` names the directory's role in messages (e.g. `base`). */
export function readSynthManifest(dir: string, label = 'synth output'): SynthOutput {
  const manifestFile = path.join(dir, 'manifest.json');
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(dir);
  } catch {
    throw new InputError(`${dir}: ${label} directory not found; ${RESYNTH(dir)}`);
  }
  if (!stat.isDirectory()) throw new InputError(`${dir}: ${label} is not a directory; give the synth output directory (it holds manifest.json)`);
  let text: string;
  try {
    text = readFileSync(manifestFile, 'utf8');
  } catch {
    throw new InputError(`${manifestFile}: not found; ${dir} is not a synth output (${RESYNTH(dir)})`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${manifestFile}: not valid JSON (${(error as Error).message}); synthesize again`);
  }
  if (!isRecord(manifest) || !isRecord(manifest.stacks)) {
    throw new InputError(`${manifestFile}: has no "stacks" object; is it a cdktf manifest? Synthesize again`);
  }
  const stacks = new Map<string, StackEntry>();
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(manifest.stacks)) {
    const synthesized = isRecord(raw) ? raw.synthesizedStackPath : undefined;
    if (typeof synthesized !== 'string') {
      problems.push(`${manifestFile}: stack '${name}' has no synthesizedStackPath; synthesize again`);
      continue;
    }
    const file = path.resolve(dir, synthesized);
    // A manifest (or a link in the output) must not make a command read a file from elsewhere on the machine.
    const outside = outsideOf(dir, file);
    if (outside) {
      problems.push(`${manifestFile}: stack '${name}' ${outside}; synthesize again`);
      continue;
    }
    const dependencies = isRecord(raw) && Array.isArray(raw.dependencies) ? raw.dependencies.filter((d): d is string => typeof d === 'string') : [];
    stacks.set(name, { name, file, dependencies, manifestEntry: raw as Record<string, unknown> });
  }
  if (problems.length > 0) throw new InputError(problems);
  return { dir, stacks };
}

/** Why `file` is not inside the output directory `dir`, following links; undefined when it is (or does not exist yet). */
function outsideOf(dir: string, file: string): string | undefined {
  const inside = (root: string, target: string) => {
    const relative = path.relative(root, target);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  };
  if (!inside(path.resolve(dir), file)) return `points outside the output directory (${file})`;
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return undefined; // a missing stack file is reported when it is read
  }
  return inside(realpathSync(dir), real) ? undefined : `is a link to ${real}, outside the output directory`;
}

/** The raw bytes of a stack file; a missing file is an input error. */
export function readStackBytes(entry: StackEntry): Buffer {
  try {
    return readFileSync(entry.file);
  } catch {
    throw new InputError(`${entry.file}: not found although manifest.json lists stack '${entry.name}'; synthesize again`);
  }
}

/** Parses a stack file's bytes; malformed JSON is an input error naming the file. */
export function parseStack(entry: StackEntry, bytes: Buffer): TerraformJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InputError(`${entry.file}: not valid JSON (${(error as Error).message}); synthesize again`);
  }
  if (!isRecord(parsed)) throw new InputError(`${entry.file}: expected a JSON object (a cdk.tf.json stack); synthesize again`);
  return parsed;
}

/** Every stack of a synth output, read and parsed, sorted by name; an output of no stacks is an input error. */
export function readSynthOutput(dir: string): SynthesizedStack[] {
  const output = readSynthManifest(dir);
  if (output.stacks.size === 0) throw new InputError(`${path.join(dir, 'manifest.json')}: lists no stacks; synthesize again`);
  return [...output.stacks.values()]
    .map((entry) => ({ name: entry.name, file: entry.file, config: parseStack(entry, readStackBytes(entry)) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
