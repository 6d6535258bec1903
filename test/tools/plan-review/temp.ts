/** Temporary directories and repository paths for the plan-review tests (no synth code: cheap to import). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const PLATFORM_FILE = path.join(REPO_ROOT, 'platform.yaml');

const created: string[] = [];

/** A new temporary directory, removed by `removeTempDirs`. */
export function tempDir(prefix = 'plan-review-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made in this test file (call in afterAll). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
