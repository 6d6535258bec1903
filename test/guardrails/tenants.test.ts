import { loadConfig } from '../../config/load';
import type { Tenant } from '../../config/model';
import { tenantNames } from '../../config/names';
import { TenantDirectory, tenantIdentity } from '../../guardrails/tenants';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR } from '../support/config-fixtures';

const { platform } = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });

function tenant(name: string, account: Tenant['account'] = { kind: 'vended', email: `aws+${name}@example.com` }): Tenant {
  return {
    name,
    owner: `${name}@example.com`,
    costCenter: 'cc-1',
    account,
    buckets: [{ purpose: 'datasets', noncurrentVersionDays: 30 }],
    gpuPools: [{ name: 'train', instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 2, diskGi: 100 }],
    quota: { cpu: 8, memoryGi: 32, gpus: 2, pods: 100 },
    monthlyBudgetUsd: 1000,
    lifecycle: 'active',
  };
}

const directory = new TenantDirectory([
  tenantIdentity(platform, tenant('alpha')),
  tenantIdentity(platform, tenant('beta', { kind: 'adopted', id: '555555555555' })),
]);
const bucketOf = (name: string, accountId?: string) => tenantNames(platform.name, platform.platformAccountId, name, accountId).bucket('datasets');
const owners = (text: string, of = 'alpha') => directory.foreignIdentifiers(text, of).map((found) => `${found.owner}:${found.identifier}`);

describe('the tenant directory', () => {
  test("finds another tenant's role name inside an ARN", () => {
    expect(owners('arn:aws:iam::555555555555:role/beta-workload')).toEqual(['beta:555555555555', 'beta:beta-workload']);
  });

  test("finds another tenant's key alias, state file and e-mail inside longer strings", () => {
    expect(owners('arn:aws:kms:us-east-1:1:alias/mlp/beta/data')).toEqual(['beta:alias/mlp/beta/data']);
    expect(owners('ml-platform/tenant-beta.tfstate')).toEqual(['beta:tenant-beta']);
    expect(owners('alpha owner is aws+beta@example.com', 'alpha')).toEqual([]);
    expect(owners('aws+alpha@example.com', 'beta')).toEqual(['alpha:aws+alpha@example.com']);
  });

  test('finds a bare tenant name only as a whole value (a namespace, a label)', () => {
    expect(owners('beta')).toEqual(['beta:beta']);
    expect(owners('the beta release')).toEqual([]);
  });

  test("finds nothing in a tenant's own identifiers", () => {
    expect(owners(`arn:aws:s3:::${bucketOf('alpha')}/*`)).toEqual([]);
    expect(owners(`arn:aws:s3:::${bucketOf('beta', '555555555555')}/*`)).toEqual([`beta:${bucketOf('beta', '555555555555')}`]);
    expect(owners('alpha')).toEqual([]);
  });

  test("treats a value both tenants' names produce as the checked tenant's own", () => {
    // Tenant 'x-workload' has namespace 'x-workload', which is also tenant 'x''s workload role name.
    const clash = new TenantDirectory([tenantIdentity(platform, tenant('x')), tenantIdentity(platform, tenant('x-workload'))]);
    expect(clash.foreignIdentifiers('x-workload', 'x')).toEqual([]);
  });

  test('scales linearly: 1,000 tenants index and answer quickly', () => {
    const started = Date.now();
    const accountOf = (i: number) => String(400000000000 + i);
    const many = new TenantDirectory(
      Array.from({ length: 1000 }, (_, i) => tenantIdentity(platform, tenant(`team-${i}`, { kind: 'adopted', id: accountOf(i) }))),
    );
    let found = 0;
    for (let i = 0; i < 1000; i++) {
      for (let j = 0; j < 50; j++) found += many.foreignIdentifiers(`arn:aws:iam::222222222222:role/team-${i}-workload-${j}`, `team-${i}`).length;
      found += many.foreignIdentifiers(`arn:aws:s3:::${bucketOf(`team-${(i + 1) % 1000}`, accountOf((i + 1) % 1000))}/*`, `team-${i}`).length;
    }
    expect(found).toBe(1000);
    expect(many.foreignIdentifiers('team-7', 'team-8')).toEqual([{ identifier: 'team-7', owner: 'team-7' }]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
