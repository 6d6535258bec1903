/**
 * The synth's output directory: written and deleted only when it is the synth's own. A
 * synth builds into a fresh sibling (`<outdir>.synth-<pid>-<random>`) and swaps it in; it
 * replaces an existing directory only when it is empty, holds a synth record
 * (synth-record.ts) or is a bare cdktf output (manifest.json and stacks/ only), never a
 * file, a symbolic link or a directory of anything else, and never one that holds the
 * working directory or the settings it reads. Deleting never follows a symbolic link.
 * A run that is killed leaves its staging directory, named with its process id; the next
 * run removes it (and git ignores it meanwhile).
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { ConfigPaths } from '../config/load';
import { displayPath, fsProblem } from '../config/read-text';
import { readSynthRecord, SYNTH_RECORD_FILE } from './synth-record';

/** The output directory is not the synth's to write: nothing was written or deleted. */
export class OutputDirRefused extends Error {}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Throws OutputDirRefused unless the synth may replace `outdir`. */
export function checkOutputDir(outdir: string, inputs: ConfigPaths): void {
  const abs = path.resolve(outdir);
  const shown = displayPath(outdir);
  const fix = "point CDKTF_OUTDIR at a new or empty directory (default 'cdktf.out')";
  const held: [string, string][] = [
    [process.cwd(), 'the working directory'],
    [path.resolve(inputs.platformFile), displayPath(inputs.platformFile)],
    [path.resolve(inputs.tenantsDir), displayPath(inputs.tenantsDir)],
  ];
  for (const [inside, what] of held) {
    if (isInside(inside, abs))
      throw new OutputDirRefused(
        `output directory ${shown} holds ${what}: the synth replaces its output directory as a whole; ${fix}; nothing was written or deleted`,
      );
  }
  let stat: Stats;
  try {
    stat = lstatSync(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new OutputDirRefused(`output directory ${shown} is ${fsProblem(error)}; ${fix}; nothing was written or deleted`);
  }
  if (stat.isSymbolicLink())
    throw new OutputDirRefused(`output directory ${shown} is a symbolic link, which the synth does not follow: ${fix}; nothing was written or deleted`);
  if (!stat.isDirectory())
    throw new OutputDirRefused(`output directory ${shown} is a file, not a directory: the synth will not replace it; ${fix}; nothing was written or deleted`);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch (error) {
    throw new OutputDirRefused(`output directory ${shown} is ${fsProblem(error)}; ${fix}; nothing was written or deleted`);
  }
  if (entries.length === 0 || readSynthRecord(abs) || isBareCdktfOutput(abs, entries)) return;
  const sample = entries.sort().slice(0, 3).join(', ') + (entries.length > 3 ? ', ...' : '');
  throw new OutputDirRefused(
    `output directory ${shown} is not an earlier synth output (it has no ${SYNTH_RECORD_FILE}) and is not empty (${sample}): the synth deletes only its own output; ${fix}, or remove that directory yourself; nothing was written or deleted`,
  );
}

/**
 * A cdktf output without a record (`cdktf synth`, or a synth older than the record): only
 * `manifest.json` and `stacks/`, and the manifest is cdktf's. Replacing it loses nothing.
 */
function isBareCdktfOutput(abs: string, entries: readonly string[]): boolean {
  if (!entries.every((e) => e === 'manifest.json' || e === 'stacks')) return false;
  try {
    if (!lstatSync(path.join(abs, 'manifest.json')).isFile()) return false;
    const manifest = JSON.parse(readFileSync(path.join(abs, 'manifest.json'), 'utf8')) as { version?: unknown; stacks?: unknown };
    return (
      typeof manifest.version === 'string' &&
      typeof manifest.stacks === 'object' &&
      manifest.stacks !== null &&
      lstatSync(path.join(abs, 'stacks')).isDirectory()
    );
  } catch {
    return false;
  }
}

/**
 * Creates the staging directory next to `outdir`, after removing what killed runs left
 * there. Its name carries the process id (`<outdir>.synth-<pid>-<random>`), so that it is
 * recognisable as the synth's from the moment it exists.
 */
export function createStaging(outdir: string, progress: (line: string) => void = () => undefined): string {
  const abs = path.resolve(outdir);
  const parent = path.dirname(abs);
  try {
    makeDirectories(parent);
    removeLeftovers(abs, progress);
    return mkdtempSync(`${abs}.synth-${process.pid}-`);
  } catch (error) {
    throw new OutputDirRefused(
      `cannot create the output directory ${displayPath(outdir)} (in ${displayPath(parent)}: ${fsProblem(error)}); point CDKTF_OUTDIR at a writable place; nothing was written`,
    );
  }
}

/**
 * `mkdir -p` one level at a time. Node's recursive mkdir never returns for a path under
 * /proc (it retries ENOENT forever); this one fails with the first level that cannot be made.
 */
export function makeDirectories(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    try {
      lstatSync(at);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(at);
      const up = path.dirname(at);
      if (up === at) break;
      at = up;
    }
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Staging directories (and earlier outputs moved aside) of runs whose process is gone. */
function removeLeftovers(abs: string, progress: (line: string) => void): void {
  const ours = new RegExp(`^${escapeRegExp(path.basename(abs))}\\.synth-(\\d+)-[A-Za-z0-9]{6}(\\.old)?$`);
  for (const entry of readdirSync(path.dirname(abs))) {
    const match = ours.exec(entry);
    if (!match || isRunning(Number(match[1]))) continue;
    const dir = path.join(path.dirname(abs), entry);
    try {
      if (!lstatSync(dir).isDirectory()) continue;
    } catch {
      continue;
    }
    rmSync(dir, { recursive: true, force: true });
    progress(`removed ${displayPath(dir)}, left by an interrupted synth`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Swaps the finished staging directory in for `outdir`, checking again that `outdir` is the synth's to replace. */
export function replaceOutput(staging: string, outdir: string, inputs: ConfigPaths): void {
  checkOutputDir(outdir, inputs);
  const abs = path.resolve(outdir);
  let old: string | undefined;
  try {
    lstatSync(abs);
    old = `${staging}.old`;
    renameSync(abs, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    renameSync(staging, abs);
  } catch (error) {
    if (old) renameSync(old, abs);
    throw error;
  }
  // rmSync removes symbolic links inside, never what they point at.
  if (old) rmSync(old, { recursive: true, force: true });
}

export function removeStaging(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}
