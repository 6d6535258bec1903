/** Temporary copies of the sample tenants for the tenant-author tool tests (never the repository's tenants/). */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ConfigPaths } from '../../../config/load';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const PLATFORM_FILE = path.join(REPO_ROOT, 'platform.yaml');
export const SAMPLE_TENANTS_DIR = path.join(REPO_ROOT, 'tenants');

const created: string[] = [];

/** A temporary tenant directory holding copies of the sample tenant files. */
export function samplesCopy(): ConfigPaths {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenant-tools-'));
  created.push(dir);
  cpSync(SAMPLE_TENANTS_DIR, dir, { recursive: true });
  return { platformFile: PLATFORM_FILE, tenantsDir: dir };
}

/** Removes every directory `samplesCopy` made in this test file (call in afterAll). */
export function removeCopies(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
