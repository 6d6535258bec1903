/**
 * The record a synth leaves in its output directory, `synth-inputs.json`: it marks the
 * directory as this project's synth output (so a later synth may replace it, and nothing
 * else) and says what it was made from (so commands that read it can tell when it is stale).
 */
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { digestChanges, inputDigest, type InputDigest, type RecordedInputs } from '../config/input-digest';
import { displayPath } from '../config/read-text';

export const SYNTH_RECORD_FILE = 'synth-inputs.json';

/** The synth output directory every command writes or reads by default: CDKTF_OUTDIR, else cdktf.out. */
export function synthDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.CDKTF_OUTDIR || 'cdktf.out';
}
const GENERATOR = 'ml-platform-blueprint synth';

export interface SynthRecord extends InputDigest {
  readonly generator: typeof GENERATOR;
  readonly inputs: RecordedInputs;
  /** Digest of the code that synthesized (synth/code-digest.ts); absent in older records. */
  readonly code?: string;
}

export function writeSynthRecord(dir: string, inputs: RecordedInputs, digest: InputDigest, code?: string): void {
  const record: SynthRecord = { generator: GENERATOR, inputs, ...digest, ...(code === undefined ? {} : { code }) };
  writeFileSync(path.join(dir, SYNTH_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** The record of `dir`, or undefined when there is none or it is not one of ours. */
export function readSynthRecord(dir: string): SynthRecord | undefined {
  const file = path.join(dir, SYNTH_RECORD_FILE);
  try {
    if (!lstatSync(file).isFile()) return undefined;
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<SynthRecord>;
    const valid =
      record?.generator === GENERATOR &&
      typeof record.digest === 'string' &&
      typeof record.files === 'object' &&
      record.files !== null &&
      typeof record.inputs?.platformFile === 'string' &&
      typeof record.inputs?.tenantsDir === 'string';
    return valid ? (record as SynthRecord) : undefined;
  } catch {
    return undefined;
  }
}

export type Freshness =
  | { readonly state: 'current'; readonly record: SynthRecord }
  | { readonly state: 'stale'; readonly record: SynthRecord; readonly changes: readonly string[] }
  | { readonly state: 'unrecorded' };

/** Compares the output's record with its input files as they are now. */
export function freshnessOf(dir: string): Freshness {
  const record = readSynthRecord(dir);
  if (!record) return { state: 'unrecorded' };
  const now = inputDigest(record.inputs);
  if (now.digest === record.digest) return { state: 'current', record };
  return { state: 'stale', record, changes: digestChanges(record, now) };
}

/**
 * The one check every command that reads a synth output runs: a stale output is refused
 * (`refuse`) or warned about, an output without a record is warned about (an older synth
 * wrote it). Returns the refusal message, or undefined to go on.
 */
export function checkSynthFreshness(dir: string, options: { readonly refuse: boolean; readonly warn: (line: string) => void }): string | undefined {
  const shown = displayPath(dir);
  if (!existsSync(path.join(dir, 'manifest.json'))) return undefined; // no output at all: the reader says so
  const freshness = freshnessOf(dir);
  if (freshness.state === 'unrecorded') {
    options.warn(
      `warning: ${shown} has no ${SYNTH_RECORD_FILE}, so whether it matches the current files is unknown (written by an older synth); run 'npm run synth' to be sure`,
    );
    return undefined;
  }
  if (freshness.state === 'current') return undefined;
  const inputs = `${displayPath(freshness.record.inputs.platformFile)} and ${displayPath(freshness.record.inputs.tenantsDir)}`;
  const message = `${shown} is stale: it no longer matches ${inputs} (${freshness.changes.join(', ')}); run 'npm run synth' again${shown === 'cdktf.out' ? '' : ` with CDKTF_OUTDIR=${shown}`}`;
  if (options.refuse) return message;
  options.warn(`warning: ${message}`);
  return undefined;
}
