import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError, formatIssue } from '../../../config/issues';
import { checkConfig, loadPlatformFile } from '../../../config/load';
import { HOURS_PER_MONTH } from '../../../config/cost';
import type { TenantRequest } from '../../../tools/tenant/request';
import { defaultAccountEmail, roundUpToRoundNumber, scaffoldTenant, ScaffoldRefused, SCHEMA_MODELINE, tenantFileFor } from '../../../tools/tenant/scaffold';
import { PLATFORM_FILE, removeCopies, samplesCopy } from './fixtures';

const platform = loadPlatformFile(PLATFORM_FILE).value!;
const price = (type: string) => platform.gpuInstanceTypes[type].onDemandHourlyUsd;
const gpusOf = (type: string) => platform.gpuInstanceTypes[type].gpus;

const request = (overrides: Partial<TenantRequest> = {}): TenantRequest => ({
  name: 'vision',
  owner: 'vision-ml@corp.example',
  costCenter: 'cc-9001',
  ...overrides,
});

/** The problems a refused scaffold reports, one line each as the CLI prints them. */
function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map(formatIssue);
    throw error;
  }
  throw new Error('expected the scaffold to be refused');
}

afterAll(removeCopies);

describe('tenant:new writes a tenant file', () => {
  test('that validates together with the sample tenants', () => {
    const paths = samplesCopy();
    const result = scaffoldTenant(request({ gpu: { instanceTypes: ['g6.12xlarge', 'g5.12xlarge'], maxNodes: 4 } }), paths);
    expect(result.file).toBe(path.join(paths.tenantsDir, 'vision.yaml'));
    const check = checkConfig(paths);
    expect(check.issues.map(formatIssue)).toEqual([]);
    expect(check.config!.tenants.map((t) => t.name)).toContain('vision');
    expect(result.existingTenants).toBe(3);
  });

  test('whose first line is the schema modeline', () => {
    const paths = samplesCopy();
    const result = scaffoldTenant(request(), paths);
    expect(readFileSync(result.file, 'utf8').split('\n')[0]).toBe(SCHEMA_MODELINE);
  });

  test('for a CPU-only tenant when no GPU pool is asked for', () => {
    const paths = samplesCopy();
    const { tenant } = scaffoldTenant(request(), paths);
    expect(tenant.gpuPools).toEqual([]);
    expect(tenant.quota.gpus).toBe(0);
    expect(tenant.account).toEqual({ kind: 'vended', email: 'aws+vision@corp.example' });
    expect(tenant.buckets.map((b) => b.purpose)).toEqual(['datasets', 'artifacts']);
  });

  test("that names the team's Identity Center group, so its members can sign in, and refuses a malformed group id", () => {
    const { tenant } = scaffoldTenant(request({ peopleGroupId: '9067a1b2c3-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }), samplesCopy());
    expect(tenant.peopleGroupId).toBe('9067a1b2c3-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    expect(() => scaffoldTenant(request({ peopleGroupId: 'vision-team' }), samplesCopy())).toThrow(
      /people\.identityCenterGroupId: must be an IAM Identity Center group id/,
    );
  });

  test('that adopts an account when given its id, once the platform team has registered it for the tenant', () => {
    const paths = samplesCopy();
    const name = request({}).name;
    expect(() => scaffoldTenant(request({ accountId: '444444444444' }), paths)).toThrow(/account 444444444444 is not in the onboarding register/);
    appendFileSync(path.join(paths.tenantsDir, 'onboarding', 'adopted-accounts.yaml'), `  "444444444444": ${name}\n`);
    const { tenant } = scaffoldTenant(request({ accountId: '444444444444' }), paths);
    expect(tenant.account).toEqual({ kind: 'adopted', id: '444444444444' });
  });
});

describe('tenant:new defaults', () => {
  test('a spot pool from zero nodes, with a GPU quota of the pool at its maximum size', () => {
    const file = tenantFileFor(request({ gpu: { instanceTypes: ['g6.12xlarge'], maxNodes: 3 } }), platform);
    expect(file.gpuPools).toEqual([{ name: 'gpu', instanceTypes: ['g6.12xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 3 }]);
    expect(file.quota.gpus).toBe(3 * gpusOf('g6.12xlarge'));
  });

  test('a budget at or above the GPU ceiling, rounded up to a round number', () => {
    const file = tenantFileFor(request({ gpu: { instanceTypes: ['g6.12xlarge', 'g5.12xlarge'], maxNodes: 4 } }), platform);
    const ceiling = 4 * Math.max(price('g6.12xlarge'), price('g5.12xlarge')) * HOURS_PER_MONTH;
    expect(file.budget.monthlyUsd).toBeGreaterThanOrEqual(ceiling);
    expect(file.budget.monthlyUsd).toBe(roundUpToRoundNumber(ceiling));
    expect(file.budget.monthlyUsd % 100).toBe(0);
  });

  test('caps the budget at the platform cap and warns that the GPU ceiling is above it', () => {
    // 8 nodes of 8 GPUs: exactly the platform's GPU cap of 64.
    const result = scaffoldTenant(request({ gpu: { instanceTypes: ['p4d.24xlarge'], maxNodes: 8 } }), samplesCopy());
    expect(result.tenant.monthlyBudgetUsd).toBe(platform.tenantCaps.maxMonthlyBudgetUsd);
    expect(result.tenant.quota.gpus).toBe(platform.tenantCaps.maxGpus);
    expect(result.warnings.join('\n')).toMatch(/GPU cost ceiling \$[\d,]+\/month is above the budget/);
  });

  test('refuses a pool larger than the GPU quota the platform caps allow, saying how far to lower it', () => {
    const paths = samplesCopy();
    const lines = refusal(() => scaffoldTenant(request({ gpu: { instanceTypes: ['p4d.24xlarge'], maxNodes: platform.tenantCaps.maxNodesPerPool } }), paths));
    expect(lines).toEqual([
      expect.stringMatching(
        /vision\.yaml:\d+:\d+ gpuPools\[0\]\.maxNodes: 16 nodes of up to 8 GPUs make 128 GPUs, more than quota\.gpus \(64\): lower maxNodes to 8/,
      ),
    ]);
    expect(existsSync(path.join(paths.tenantsDir, 'vision.yaml'))).toBe(false);
  });

  test('keeps the budget, quota and pool values that were given', () => {
    const file = tenantFileFor(
      request({ gpu: { instanceTypes: ['g6.xlarge'], maxNodes: 2 }, poolName: 'serve', capacity: 'on-demand', budgetUsd: 9000, cpu: 40, memoryGi: 160 }),
      platform,
    );
    expect(file.gpuPools?.[0]).toMatchObject({ name: 'serve', capacity: 'on-demand' });
    expect(file.budget.monthlyUsd).toBe(9000);
    expect(file.quota).toMatchObject({ cpu: 40, memoryGi: 160 });
  });

  test("the account e-mail in the owner's domain", () => {
    expect(defaultAccountEmail('vision', 'team@ml.corp.example')).toBe('aws+vision@ml.corp.example');
    expect(defaultAccountEmail('vision', 'no-domain')).toBeUndefined();
  });

  test.each([
    [16562.24, 17000],
    [1175.0, 1200],
    [17000, 17000],
    [150.5, 200],
  ])('rounds %p up to %p', (amount, expected) => {
    expect(roundUpToRoundNumber(amount)).toBe(expected);
  });
});

describe('tenant:new refuses', () => {
  test('an uppercase name with the validation message, writing nothing', () => {
    const paths = samplesCopy();
    const before = readdirSync(paths.tenantsDir);
    const lines = refusal(() => scaffoldTenant(request({ name: 'Vision' }), paths));
    expect(lines).toEqual([expect.stringMatching(/Vision\.yaml:\d+:\d+ name: tenant name must be a lowercase DNS label/)]);
    expect(readdirSync(paths.tenantsDir)).toEqual(before);
  });

  test('a reserved name with the validation message', () => {
    const paths = samplesCopy();
    const lines = refusal(() => scaffoldTenant(request({ name: 'kube-system' }), paths));
    expect(lines.join('\n')).toMatch(/kube-system\.yaml:\d+:\d+ name: 'kube-system' is reserved for the platform/);
    expect(existsSync(path.join(paths.tenantsDir, 'kube-system.yaml'))).toBe(false);
  });

  test('a name too long for the names derived from it', () => {
    const paths = samplesCopy();
    // 60 characters: its default account e-mail still fits (64 before the @).
    const name = `team-${'a'.repeat(55)}`;
    const lines = refusal(() => scaffoldTenant(request({ name }), paths));
    expect(lines.join('\n')).toMatch(/name: too long: it makes the \w+ name/);
    expect(existsSync(path.join(paths.tenantsDir, `${name}.yaml`))).toBe(false);
  });

  test('a name that is a path, before touching any file', () => {
    const paths = samplesCopy();
    const lines = refusal(() => scaffoldTenant(request({ name: '../escape' }), paths));
    expect(lines).toEqual([expect.stringMatching(/^--name: tenant name must be a lowercase DNS label/)]);
    expect(existsSync(path.join(paths.tenantsDir, '..', 'escape.yaml'))).toBe(false);
  });

  test('to overwrite an existing tenant, with a clear message and the file left byte-identical', () => {
    const paths = samplesCopy();
    const existing = path.join(paths.tenantsDir, 'analytics.yaml');
    const before = readFileSync(existing);
    expect(() => scaffoldTenant(request({ name: 'analytics', gpu: { instanceTypes: ['g6.xlarge'], maxNodes: 1 } }), paths)).toThrow(ScaffoldRefused);
    expect(() => scaffoldTenant(request({ name: 'analytics' }), paths)).toThrow(/analytics\.yaml already exists: tenant:new never overwrites a tenant/);
    expect(readFileSync(existing).equals(before)).toBe(true);
  });

  test('an account e-mail another tenant has, blaming the new file and naming the real paths', () => {
    const paths = samplesCopy();
    // 'aaa' sorts before 'analytics': the clash is still the new file's, not the older one's.
    const lines = refusal(() => scaffoldTenant(request({ name: 'aaa', accountEmail: 'aws+analytics@example.com' }), paths));
    expect(lines).toEqual([
      `${path.join(paths.tenantsDir, 'aaa.yaml')}:7:10 account.email: account e-mail 'aws+analytics@example.com' is already used by ${path.join(paths.tenantsDir, 'analytics.yaml')}; each tenant needs its own`,
    ]);
    expect(existsSync(path.join(paths.tenantsDir, 'aaa.yaml'))).toBe(false);
  });

  test('an instance type the platform does not offer, naming the allowed ones', () => {
    const lines = refusal(() => scaffoldTenant(request({ gpu: { instanceTypes: ['g4dn.xlarge'], maxNodes: 1 } }), samplesCopy()));
    expect(lines.join('\n')).toMatch(/gpuPools\[0\]\.instanceTypes\[0\]: 'g4dn\.xlarge' is not an allowed GPU instance type; use one of g5\.xlarge/);
  });
});

describe('tenant:new with problems already in other files', () => {
  test('writes the new file and passes the old problems on, since the new file adds none', () => {
    const paths = samplesCopy();
    writeFileSync(path.join(paths.tenantsDir, 'broken.yaml'), 'name: broken\n');
    const result = scaffoldTenant(request(), paths);
    expect(existsSync(result.file)).toBe(true);
    expect(result.existingProblems.length).toBeGreaterThan(0);
    expect(result.existingProblems.every((issue) => issue.file.endsWith('broken.yaml'))).toBe(true);
  });
});
