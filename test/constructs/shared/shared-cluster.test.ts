/** Admin access entries are keyed by role: removing one admin role leaves the others' entries where they are. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { adminConstructId } from '../../../constructs/shared/shared-cluster';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir } from '../../support/config-fixtures';
import { synthPlatform } from '../../support/synth';

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** The shared stack's access entries (logical id -> principal) with the given admin roles. */
function accessEntries(adminRoleArns: readonly string[]): Record<string, string> {
  const dir = tempDir('mlp-admins-');
  created.push(dir);
  const platform = parse(readFileSync(PLATFORM_FILE, 'utf8')) as { cluster: Record<string, unknown> };
  platform.cluster.adminRoleArns = [...adminRoleArns];
  const file = path.join(dir, 'platform.yaml');
  writeFileSync(file, stringify(platform));
  const synthesized = synthPlatform(SAMPLE_TENANTS_DIR, file);
  created.push(path.dirname(synthesized.outdir));
  const entries = synthesized.stacks.shared.resource?.aws_eks_access_entry ?? {};
  return Object.fromEntries(Object.entries(entries).map(([id, body]) => [id, String(body.principal_arn)]));
}

describe('SharedCluster admin access entries', () => {
  const first = 'arn:aws:iam::222222222222:role/mlp-platform-admin';
  const second = 'arn:aws:iam::222222222222:role/ops/mlp-break-glass';

  test('are keyed by account and role name, so removing the first keeps the second at its address', () => {
    const both = accessEntries([first, second]);
    const onlySecond = accessEntries([second]);
    expect(Object.values(both)).toEqual(expect.arrayContaining([first, second]));
    const secondId = Object.keys(both).find((id) => both[id] === second);
    expect(secondId).toMatch(/^cluster_admin-222222222222-mlp-break-glass_[0-9A-F]{8}$/);
    // Every entry but the removed role's keeps its logical id (the deploy role's included).
    const { [Object.keys(both).find((id) => both[id] === first) as string]: removed, ...kept } = both;
    expect(removed).toBe(first);
    expect(onlySecond).toEqual(kept);
  });

  test('ids come from the role, not from its path or position', () => {
    expect(adminConstructId(second)).toBe('admin-222222222222-mlp-break-glass');
    expect(adminConstructId('arn:aws:iam::222222222222:user/someone')).toBe('admin-arn-aws-iam-222222222222-user-someone');
  });
});
