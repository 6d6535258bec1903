/**
 * A digest of the code that synthesizes and proves: every TypeScript source of the layers a
 * synth runs (kernel to synth), the isolation proof's, and the locked dependencies. Recorded
 * with each synth output, so that an incremental synth reuses an earlier output only when
 * the same code made it, and a proof restricted to the changed tenants (which leaves the
 * other pairs to the base's proof) runs only when the proof itself is the same.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The project root: this file lives in <root>/synth/. */
const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['kernel', 'config', 'constructs', 'stacks', 'guardrails', 'proof', 'synth'];
const OTHER_FILES = ['package-lock.json', 'cdktf.json'];

function sources(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(relative);
    return entry.isFile() && entry.name.endsWith('.ts') ? [relative] : [];
  });
}

let cached: string | undefined;

/** SHA-256 over the names and contents of the synth's sources, computed once per process. */
export function codeDigest(): string {
  if (cached !== undefined) return cached;
  const hash = createHash('sha256');
  const files = [...SOURCE_DIRS.flatMap(sources), ...OTHER_FILES].sort();
  for (const file of files) {
    let content: Buffer;
    try {
      content = readFileSync(path.join(ROOT, file));
    } catch {
      continue;
    }
    hash.update(`${file}\0${createHash('sha256').update(content).digest('hex')}\n`);
  }
  cached = hash.digest('hex');
  return cached;
}
