/**
 * What a synth was made from: a SHA-256 of platform.yaml and of every tenant file, each by
 * name, and one digest over all of them. The synth records it with its output; commands
 * that read the output compare it with the files as they are now, so an output made from
 * other files is never read as current.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { ConfigPaths } from './load';
import { listTenantFiles } from './tenant-directory';

export interface InputDigest {
  /** SHA-256 over the names and digests of `files`, in name order. */
  readonly digest: string;
  /** Digest of each input by name: `platform.yaml` (the file's own name) and `tenants/<name>.yaml`. */
  readonly files: Readonly<Record<string, string>>;
}

/** Where the inputs are, as recorded: absolute, so the check does not depend on the working directory. */
export interface RecordedInputs {
  readonly platformFile: string;
  readonly tenantsDir: string;
}

export function recordedInputs(paths: ConfigPaths): RecordedInputs {
  return { platformFile: path.resolve(paths.platformFile), tenantsDir: path.resolve(paths.tenantsDir) };
}

/** The digest of the inputs as they are now; a file that cannot be read counts as missing. */
export function inputDigest(paths: ConfigPaths): InputDigest {
  const files: Record<string, string> = {};
  const add = (name: string, file: string) => {
    try {
      // Regular files only: reading a named pipe would wait for a writer forever.
      if (statSync(file).isFile()) files[name] = createHash('sha256').update(readFileSync(file)).digest('hex');
    } catch {
      // Missing or unreadable: absent from the digest, so a comparison reports it as removed.
    }
  };
  add(path.basename(paths.platformFile), paths.platformFile);
  for (const file of listTenantFiles(paths.tenantsDir).files) add(`tenants/${path.basename(file)}`, file);
  const all = createHash('sha256');
  for (const name of Object.keys(files).sort()) all.update(`${name}\0${files[name]}\n`);
  return { digest: all.digest('hex'), files };
}

/** What changed from `then` to `now`, one phrase per file: `tenants/x.yaml added`. */
export function digestChanges(then: InputDigest, now: InputDigest): string[] {
  const names = [...new Set([...Object.keys(then.files), ...Object.keys(now.files)])].sort();
  const changes: string[] = [];
  for (const name of names) {
    const before = then.files[name];
    const after = now.files[name];
    if (before === undefined) changes.push(`${name} added`);
    else if (after === undefined) changes.push(`${name} removed`);
    else if (before !== after) changes.push(`${name} changed`);
  }
  return changes;
}
