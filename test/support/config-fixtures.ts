/** Temporary tenant directories and platform files for tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { formatIssue } from '../../config/issues';
import { checkConfig } from '../../config/load';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const PLATFORM_FILE = path.join(REPO_ROOT, 'platform.yaml');
export const SAMPLE_TENANTS_DIR = path.join(REPO_ROOT, 'tenants');

export function tempDir(prefix = 'mlp-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A valid tenant file body; override any field. */
export function tenantFields(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    owner: `${name}@example.com`,
    costCenter: 'cc-1000',
    account: { email: `aws+${name}@example.com` },
    gpuPools: [{ name: 'train', instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 2 }],
    quota: { cpu: 16, memoryGi: 64, gpus: 2 },
    budget: { monthlyUsd: 5000 },
    ...overrides,
  };
}

/** Writes `<dir>/<name>.yaml` from fields or raw text. */
export function writeTenant(dir: string, name: string, body: Record<string, unknown> | string): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, typeof body === 'string' ? body : stringify(body));
  return file;
}

/** A tenant directory holding the given tenants (valid defaults unless overridden). */
export function tenantDir(tenants: Record<string, Record<string, unknown> | string>): string {
  const dir = tempDir();
  for (const [name, body] of Object.entries(tenants)) writeTenant(dir, name, body);
  return dir;
}

/** Every problem as the user sees it, with the directory prefix removed for readable assertions. */
export function problems(dir: string, platformFile = PLATFORM_FILE): string[] {
  const { issues } = checkConfig({ platformFile, tenantsDir: dir });
  return issues.map(formatIssue).map((line) => line.split(`${dir}${path.sep}`).join(''));
}
