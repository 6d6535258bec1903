/** Reads a cdktf synth output directory: `manifest.json` and each stack's `cdk.tf.json`. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TerraformJson } from './types';

export interface SynthesizedStack {
  readonly name: string;
  readonly file: string;
  readonly config: TerraformJson;
}

/** The synth output is missing or unreadable: the user should run the synth first. */
export class SynthOutputError extends Error {}

interface Manifest {
  readonly stacks?: Record<string, { readonly synthesizedStackPath?: string }>;
}

export function readSynthOutput(synthDir: string): SynthesizedStack[] {
  const manifestFile = path.join(synthDir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new SynthOutputError(`${manifestFile} not found: run 'npm run synth' first, or pass --synth <dir>`);
  }
  const manifest = parseJson<Manifest>(manifestFile);
  const entries = Object.entries(manifest.stacks ?? {});
  if (entries.length === 0) throw new SynthOutputError(`${manifestFile} lists no stacks: run 'npm run synth' again`);
  return entries
    .map(([name, entry]) => {
      const file = path.join(synthDir, entry.synthesizedStackPath ?? path.join('stacks', name, 'cdk.tf.json'));
      if (!existsSync(file)) throw new SynthOutputError(`${file} not found although ${manifestFile} lists stack '${name}': run 'npm run synth' again`);
      return { name, file, config: parseJson<TerraformJson>(file) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function parseJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new SynthOutputError(`${file}: not valid JSON (${(error as Error).message}): run 'npm run synth' again`);
  }
}

/** Small typed accessors over the untyped JSON. */
export function objectAt(value: unknown, ...keys: string[]): Record<string, unknown> | undefined {
  let current: unknown = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return isObject(current) ? current : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** cdktf writes a block's construct path into its `//` metadata. */
export function constructPathOf(block: unknown): string | undefined {
  const found = objectAt(block, '//', 'metadata')?.path;
  return typeof found === 'string' ? found : undefined;
}
