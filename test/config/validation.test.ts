import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tenantNames } from '../../config/names';
import { checkConfig, loadConfig } from '../../config/load';
import { ConfigError } from '../../config/issues';
import { PLATFORM_FILE, problems, SAMPLE_TENANTS_DIR, tempDir, tenantDir, tenantFields, writeTenant } from '../support/config-fixtures';

describe('tenant file validation', () => {
  test('accepts the sample tenants', () => {
    expect(problems(SAMPLE_TENANTS_DIR)).toEqual([]);
    const config = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
    expect(config.tenants.map((t) => t.name)).toEqual(['analytics', 'fraud-detection', 'recsys-inference']);
  });

  test('reports minNodes above maxNodes at the line and column of maxNodes', () => {
    const dir = tenantDir({
      recsys: [
        'name: recsys',
        'owner: recsys@example.com',
        'costCenter: cc-1',
        'account:',
        '  email: aws+recsys@example.com',
        'gpuPools:',
        '  - name: serve',
        '    instanceTypes: [g6.xlarge]',
        '    capacity: on-demand',
        '    minNodes: 2',
        '    maxNodes: 1',
        'quota: { cpu: 8, memoryGi: 32, gpus: 1 }',
        'budget: { monthlyUsd: 1000 }',
        '',
      ].join('\n'),
    });
    expect(problems(dir)).toEqual(['recsys.yaml:11:15 gpuPools[0].maxNodes: must be at least minNodes (2), got 1']);
  });

  test('reports a YAML syntax error with its position', () => {
    const dir = tenantDir({ broken: 'name: broken\nowner: [unclosed\n' });
    const [line] = problems(dir);
    expect(line).toMatch(/^broken\.yaml:\d+:\d+: YAML syntax error: /);
  });

  test('reports a duplicate key', () => {
    const dir = tenantDir({ dup: 'name: dup\nname: dup\n' });
    expect(problems(dir)).toEqual(["dup.yaml:2:1: duplicate key 'name': each key may appear once in a mapping; remove or merge the repeated one"]);
  });

  test('rejects an unknown key with a did-you-mean', () => {
    const fields = tenantFields('typo');
    const { costCenter, ...rest } = fields;
    const dir = tenantDir({ typo: { ...rest, costCentre: costCenter } });
    expect(problems(dir)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^typo\.yaml:\d+:1 costCentre: unknown key 'costCentre': did you mean 'costCenter'\?$/)]),
    );
  });

  test('rejects an unknown nested key and lists the allowed keys when nothing is close', () => {
    const dir = tenantDir({ t: tenantFields('t', { quota: { cpu: 1, memoryGi: 1, gpus: 0, bananas: 3 } }) });
    expect(problems(dir)).toEqual([expect.stringMatching(/quota\.bananas: unknown key 'bananas': allowed keys here: cpu, memoryGi, gpus, pods$/)]);
  });

  test('requires name to equal the file name', () => {
    const dir = tenantDir({ alpha: tenantFields('beta') });
    expect(problems(dir)).toEqual([expect.stringMatching(/^alpha\.yaml:1:7 name: must equal the file name 'alpha', got 'beta'/)]);
  });

  test('rejects a name that is not a lowercase DNS label', () => {
    const dir = tenantDir({ Bad_Name: tenantFields('Bad_Name') });
    expect(problems(dir).join('\n')).toMatch(/name: tenant name must be a lowercase DNS label/);
  });

  test.each(['default', 'kube-system', 'shared', 'platform', 'workload', 'kube-dns'])('rejects the reserved name %s', (name) => {
    const dir = tenantDir({ [name]: tenantFields(name) });
    expect(problems(dir)).toEqual([expect.stringContaining(`name: '${name}' is reserved for the platform`)]);
  });

  test.each([
    ['kube-anything', "starting with 'kube-'"],
    ['keda', 'add-ons install into'],
    ['kyverno', 'add-ons install into'],
    ['monitoring', 'add-ons install into'],
    ['gatekeeper-system', "starting with 'gatekeeper-'"],
    ['kueue-system', "ending in '-system'"],
    ['istio-ingress', "starting with 'istio-'"],
    ['mlp-tools', "starting with 'mlp-' (the platform name)"],
  ])('rejects %s, a present or future platform namespace', (name, why) => {
    const dir = tenantDir({ [name]: tenantFields(name) });
    const found = problems(dir);
    expect(found).toEqual([expect.stringContaining(`${name}.yaml:1:7 name: `)]);
    expect(found[0]).toContain(why);
  });

  test.each(['mlp', 'us-west-2', 'ml-platform-team'])('rejects %s, a value of platform.yaml', (name) => {
    const dir = tenantDir({ [name]: tenantFields(name) });
    expect(problems(dir)).toEqual([expect.stringContaining(`name: '${name}' is a value of platform.yaml (platform name, region or tag)`)]);
  });

  test('rejects a tenant and pool whose NodePool name is an instance type name', () => {
    const dir = tenantDir({
      g6: tenantFields('g6', { gpuPools: [{ name: 'xlarge', instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 2 }] }),
    });
    expect(problems(dir)).toEqual([
      expect.stringMatching(
        /gpuPools\[0\]\.name: makes the NodePool name 'g6\.xlarge', which is also a GPU instance type in platform\.yaml; choose another pool name/,
      ),
    ]);
  });

  test('rejects a pool name whose Karpenter NodePool name (a label value) would exceed 63 characters', () => {
    const name = 'b'.repeat(30);
    const pool = 'p'.repeat(30);
    const dir = tenantDir({
      [name]: tenantFields(name, { gpuPools: [{ name: pool, instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 2 }] }),
    });
    expect(problems(dir)).toEqual([
      expect.stringMatching(
        /gpuPools\[0\]\.name: too long: it makes the karpenterNodePool name 'b{30}\.p{30}\.warm' \(66 characters, limit 63\); shorten it by 3/,
      ),
    ]);
  });

  test('rejects a name whose derived bucket name would exceed 63 characters', () => {
    const name = 'a'.repeat(26);
    const dir = tenantDir({ [name]: tenantFields(name, { buckets: [{ name: 'training-datasets-raw' }] }) });
    // mlp- (4) + 26 + - + 21 + - + a 12-digit account id = 65
    expect(problems(dir)).toEqual([
      expect.stringMatching(
        /buckets\[0\]\.name: too long: it makes the s3Bucket name 'mlp-a{26}-training-datasets-raw-<account-id>' \(65 characters, limit 63\); shorten it by 2/,
      ),
    ]);
  });

  test('rejects an invalid e-mail and a malformed account id', () => {
    const dir = tenantDir({
      a: tenantFields('a', { owner: 'not-an-email' }),
      b: tenantFields('b', { account: { id: '12345' } }),
    });
    expect(problems(dir)).toEqual([
      expect.stringMatching(
        /^a\.yaml:\d+:\d+ owner: must be an e-mail address such as team@example\.com \(letters, digits, '\.', '_', '\+', '-' before the @\), got "not-an-email"$/,
      ),
      expect.stringMatching(/^b\.yaml:\d+:\d+ account\.id: must be a 12-digit AWS account id, quoted as a string, got "12345"$/),
    ]);
  });

  test('requires exactly one of account email or id', () => {
    const dir = tenantDir({
      none: tenantFields('none', { account: {} }),
      both: tenantFields('both', { account: { email: 'x@example.com', id: '444444444444' } }),
    });
    expect(problems(dir)).toEqual([
      expect.stringContaining('both.yaml:6:7 account.id: give either email or id, not both'),
      expect.stringContaining('none.yaml:4:10 account: give either email (to vend a new account) or id'),
    ]);
  });

  test('rejects duplicate account e-mails and ids across files', () => {
    const dir = tenantDir({
      one: tenantFields('one', { account: { email: 'shared@example.com' } }),
      two: tenantFields('two', { account: { email: 'Shared@example.com' } }),
      three: tenantFields('three', { account: { id: '444444444444' } }),
      four: tenantFields('four', { account: { id: '444444444444' } }),
    });
    writeRegister(dir, { '444444444444': 'four' });
    expect(problems(dir)).toEqual([
      // Nothing in the files says which came last: both files of a clash are named.
      expect.stringMatching(/^four\.yaml:\d+:\d+ account\.id: account id '444444444444' is already used by .*three\.yaml; each tenant needs its own$/),
      expect.stringMatching(
        /^one\.yaml:\d+:\d+ account\.email: account e-mail 'shared@example\.com' is already used by .*two\.yaml; each tenant needs its own$/,
      ),
      expect.stringMatching(/^three\.yaml:\d+:\d+ account\.id: account 444444444444 is registered for tenant 'four' in the onboarding register/),
      expect.stringMatching(/^three\.yaml:\d+:\d+ account\.id: account id '444444444444' is already used by .*four\.yaml; each tenant needs its own$/),
      expect.stringMatching(
        /^two\.yaml:\d+:\d+ account\.email: account e-mail 'Shared@example\.com' is already used by .*one\.yaml; each tenant needs its own$/,
      ),
    ]);
  });

  test('rejects a platform account id as a tenant account', () => {
    const dir = tenantDir({ t: tenantFields('t', { account: { id: '222222222222' } }) });
    expect(problems(dir)).toEqual([expect.stringContaining('account.id: 222222222222 is a platform account')]);
  });

  test('rejects an instance type outside the allow-list and names the allowed ones', () => {
    const dir = tenantDir({
      t: tenantFields('t', { gpuPools: [{ name: 'p', instanceTypes: ['g6.xlarge', 'p9.mega'], capacity: 'spot', minNodes: 0, maxNodes: 1 }] }),
    });
    expect(problems(dir)).toEqual([
      expect.stringMatching(
        /gpuPools\[0\]\.instanceTypes\[1\]: 'p9\.mega' is not an allowed GPU instance type; use one of g5\.xlarge, .*\(platform\.yaml gpuInstanceTypes\)$/,
      ),
    ]);
  });

  test('rejects an unknown capacity type', () => {
    const dir = tenantDir({ t: tenantFields('t', { gpuPools: [{ name: 'p', instanceTypes: ['g6.xlarge'], capacity: 'cheap', minNodes: 0, maxNodes: 1 }] }) });
    expect(problems(dir)).toEqual([expect.stringContaining("gpuPools[0].capacity: must be one of 'spot', 'on-demand', got \"cheap\"")]);
  });

  test('holds quotas, pool sizes and budgets to the platform caps', () => {
    const dir = tenantDir({
      t: tenantFields('t', {
        gpuPools: [{ name: 'p', instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 17 }],
        quota: { cpu: 513, memoryGi: 4097, gpus: 65 },
        budget: { monthlyUsd: 150001 },
      }),
    });
    expect(problems(dir).map((l) => l.replace(/^t\.yaml:\d+:\d+ /, ''))).toEqual([
      'gpuPools[0].maxNodes: must be at most the platform cap of 16 nodes per pool, got 17',
      'quota.cpu: must be at most the platform cap of 512 cores, got 513',
      'quota.memoryGi: must be at most the platform cap of 4096 GiB, got 4097',
      'quota.gpus: must be at most the platform cap of 64 GPUs, got 65',
      'budget.monthlyUsd: must be at most the platform cap of 150000 USD, got 150001',
    ]);
  });

  test('rejects duplicate bucket and pool names within a tenant', () => {
    const pool = { name: 'p', instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 1 };
    const dir = tenantDir({ t: tenantFields('t', { buckets: [{ name: 'data' }, { name: 'data' }], gpuPools: [pool, pool] }) });
    expect(problems(dir)).toEqual([
      expect.stringContaining("gpuPools[1].name: GPU pool 'p' is already defined at gpuPools[0]"),
      expect.stringContaining("buckets[1].name: bucket 'data' is already defined at buckets[0]"),
    ]);
  });

  test('reports a required field that is missing', () => {
    const fields = tenantFields('t');
    delete fields.quota;
    const dir = tenantDir({ t: fields });
    expect(problems(dir)).toEqual(['t.yaml:1:1 quota: is required (expected object)']);
  });

  test('reports a .yml file and an empty file rather than skipping them', () => {
    const dir = tenantDir({ ok: tenantFields('ok'), empty: '' });
    writeFileSync(path.join(dir, 'legacy.yml'), 'name: legacy\n');
    expect(problems(dir)).toEqual([
      'empty.yaml: file is empty: write the settings, or delete the file',
      'legacy.yml: tenant files end in .yaml: rename it to legacy.yaml',
    ]);
  });

  test('reports every problem in every file in one run, ordered by file and position', () => {
    const dir = tenantDir({
      a: tenantFields('a', { owner: 'nope' }),
      b: tenantFields('b', { quota: { cpu: 1, memoryGi: 1, gpus: 99 } }),
      c: 'name: c\nname: c\n',
    });
    const found = problems(dir);
    expect(found.map((l) => l.split(':')[0])).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });

  test('reports a missing tenant directory and a missing platform file', () => {
    const missing = path.join(tempDir(), 'nope');
    const { issues } = checkConfig({ platformFile: path.join(missing, 'platform.yaml'), tenantsDir: missing });
    expect(issues.map((i) => i.message)).toEqual([
      'tenant directory not found: create it, or point TENANTS_DIR at it',
      'file not found: create it, or point PLATFORM_CONFIG at the platform settings',
    ]);
  });

  test('loadConfig throws one ConfigError carrying every issue', () => {
    const dir = tenantDir({ a: tenantFields('a', { owner: 'x' }), b: tenantFields('b', { owner: 'y' }) });
    expect(() => loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: dir })).toThrow(ConfigError);
    try {
      loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: dir });
    } catch (error) {
      expect((error as ConfigError).issues).toHaveLength(2);
    }
  });

  test('applies documented defaults: two buckets, no pools, active lifecycle, 200 pods', () => {
    const dir = tempDir();
    const { gpuPools: _pools, ...fields } = tenantFields('t');
    writeTenant(dir, 't', fields);
    const [tenant] = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: dir }).tenants;
    expect(tenant.buckets.map((b) => b.purpose)).toEqual(['datasets', 'artifacts']);
    expect(tenant.gpuPools).toEqual([]);
    expect(tenant.lifecycle).toBe('active');
    expect(tenant.quota.pods).toBe(200);
  });
});

describe('platform file validation', () => {
  function platformProblems(mutate: (text: string) => string): string[] {
    const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const dir = tempDir();
    const file = path.join(dir, 'platform.yaml');
    writeFileSync(file, mutate(readFileSync(PLATFORM_FILE, 'utf8')));
    return problems(SAMPLE_TENANTS_DIR, file).map((l) => l.replace(`${dir}${path.sep}`, ''));
  }

  test('requires at least two availability zones', () => {
    expect(platformProblems((t) => t.replace('[us-east-1a, us-east-1b, us-east-1c]', '[us-east-1a]'))).toEqual([
      expect.stringMatching(/platform\.yaml:\d+:\d+ cluster\.availabilityZones: must list at least two availability zones|must list at least 2 items/),
    ]);
  });

  test('rejects a VPC that is too small for pod addresses', () => {
    expect(platformProblems((t) => t.replace('10.40.0.0/16', '10.40.0.0/24'))).toEqual([
      expect.stringContaining('cluster.vpcCidr: must be a /16 to /20 network'),
    ]);
  });

  test('refuses a system-node image ahead of the control plane or more than three minor versions behind it, and takes one that trails', () => {
    const pinned = (release: string) => platformProblems((t) => t.replace('amiReleaseVersion: 1.32.1-20250410', `amiReleaseVersion: ${release}`));
    expect(pinned('1.33.1-20250601')).toEqual([
      expect.stringMatching(
        /cluster\.systemNodes\.amiReleaseVersion: '1\.33\.1-20250601' is an AMI release of Kubernetes 1\.33, which nodes cannot run beside a 1\.32 control plane/,
      ),
    ]);
    expect(pinned('1.28.5-20240110')).toEqual([expect.stringContaining('at most three minor versions behind')]);
    expect(pinned('1.31.7-20250301')).toEqual([]);
    expect(pinned('latest')).toEqual([expect.stringContaining("must be an EKS AMI release version such as '1.32.1-20250410'")]);
  });

  test('refuses a device plugin version that is not an exact release, and takes the default when absent', () => {
    const pinned = (version: string) => platformProblems((t) => t.replace('  version: v0.17.1', `  version: ${version}`));
    expect(pinned('latest')).toEqual([
      expect.stringMatching(/platform\.yaml:\d+:\d+ nvidiaDevicePlugin\.version: must be an exact NVIDIA device plugin release such as 'v0\.17\.1'/),
    ]);
    expect(pinned('v0.17.4')).toEqual([]);
    expect(platformProblems((t) => t.replace(/^nvidiaDevicePlugin:.*\n {2}version: v0\.17\.1\n/m, ''))).toEqual([]);
  });

  test("needs the organization root when the tenants' OU sits under another OU: the pipeline roles reach every account through it", () => {
    const underOu = (t: string) => t.replace('tenantOuParentId: r-a1b2', 'tenantOuParentId: ou-a1b2-c3d4e5f6');
    expect(platformProblems(underOu)).toEqual([
      expect.stringMatching(/platform\.yaml:\d+:\d+ organization\.rootId: is required when tenantOuParentId is an OU: set it to the organization root id/),
    ]);
    expect(platformProblems((t) => underOu(t).replace('  tenantOuName:', '  rootId: r-a1b2\n  tenantOuName:'))).toEqual([]);
  });

  test('says what replaces the node-group sizes of the general pool, which Karpenter now provisions', () => {
    const old = platformProblems((t) => t.replace('    maxCpu: 320\n', '    minNodes: 1\n    maxNodes: 20\n    maxCpu: 320\n'));
    expect(old).toEqual([
      expect.stringMatching(/cluster\.generalNodes\.minNodes: unknown key 'minNodes': the general pool is a Karpenter NodePool that starts at zero: remove it/),
      expect.stringMatching(/cluster\.generalNodes\.maxNodes: unknown key 'maxNodes': the general pool is capped by maxCpu and maxMemoryGi/),
    ]);
  });
});

describe('people access in tenant files', () => {
  test('rejects a group id that is not an Identity Center group id, saying where to find one', () => {
    const dir = tenantDir({ t: tenantFields('t', { people: { identityCenterGroupId: 'ml-team' } }) });
    expect(problems(dir)).toEqual([
      expect.stringMatching(/^t\.yaml:\d+:\d+ people\.identityCenterGroupId: must be an IAM Identity Center group id .*Group ID/),
    ]);
  });

  test("rejects one group for two tenants: one tenant would get the other tenant's people", () => {
    const group = { identityCenterGroupId: '9067a1b2c3-11111111-2222-4333-8444-555555555555' };
    const dir = tenantDir({ one: tenantFields('one', { people: group }), two: tenantFields('two', { people: group }) });
    // Nothing in the files says which came last: both files of the clash are named.
    expect(problems(dir)).toEqual([
      expect.stringMatching(/^one\.yaml:\d+:\d+ people\.identityCenterGroupId: Identity Center group '.*' is already used by .*two\.yaml/),
      expect.stringMatching(/^two\.yaml:\d+:\d+ people\.identityCenterGroupId: Identity Center group '.*' is already used by .*one\.yaml/),
    ]);
  });

  test('rejects a people group when platform.yaml names no Identity Center instance', () => {
    const platformDir = tempDir('mlp-platform-');
    const platformFile = path.join(platformDir, 'platform.yaml');
    writeFileSync(platformFile, readFileSync(PLATFORM_FILE, 'utf8').replace(/^identityCenter:[^\n]*\n( {2}[^\n]*\n)*/m, ''));
    const dir = tenantDir({ t: tenantFields('t', { people: { identityCenterGroupId: '9067a1b2c3-11111111-2222-4333-8444-555555555555' } }) });
    expect(problems(dir, platformFile)).toEqual([expect.stringMatching(/^t\.yaml:\d+:\d+ people: platform\.yaml has no identityCenter instance/)]);
  });
});

function writeRegister(dir: string, accounts: Record<string, string> | string): void {
  mkdirSync(path.join(dir, 'onboarding'), { recursive: true });
  writeFileSync(path.join(dir, 'onboarding', 'adopted-accounts.yaml'), typeof accounts === 'string' ? accounts : JSON.stringify({ accounts }));
}

describe('adopting an existing account', () => {
  test('rejects an account the platform team has not registered, saying how adoption works', () => {
    const dir = tenantDir({ t: tenantFields('t', { account: { id: '444444444444' } }) });
    expect(problems(dir)).toEqual([
      expect.stringMatching(/^t\.yaml:\d+:\d+ account\.id: account 444444444444 is not in the onboarding register .*onboarding OU .*docs\/accounts\.md/),
    ]);
  });

  test("rejects another tenant's registered account: naming it proves nothing", () => {
    const dir = tenantDir({ t: tenantFields('t', { account: { id: '444444444444' } }) });
    writeRegister(dir, { '444444444444': 'security' });
    expect(problems(dir)).toEqual([expect.stringContaining("account 444444444444 is registered for tenant 'security'")]);
  });

  test('accepts an account registered for the tenant', () => {
    const dir = tenantDir({ t: tenantFields('t', { account: { id: '444444444444' } }) });
    writeRegister(dir, { '444444444444': 't' });
    expect(problems(dir)).toEqual([]);
  });

  test('reports a malformed register at its own file and line', () => {
    const dir = tenantDir({ t: tenantFields('t') });
    writeRegister(dir, 'accounts:\n  "4444": t\n');
    expect(problems(dir)).toEqual([expect.stringMatching(/^onboarding\/adopted-accounts\.yaml:2:\d+ accounts.*12-digit/)]);
  });
});

describe('names across tenants', () => {
  test('accepts pools that a dash-joined name would confuse: their NodePool names stay apart', () => {
    const pool = (name: string) => [{ name, instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 2 }];
    const dir = tenantDir({
      'fraud-detection': tenantFields('fraud-detection', { gpuPools: pool('train') }),
      fraud: tenantFields('fraud', { gpuPools: pool('detection-train') }),
    });
    expect(problems(dir)).toEqual([]);
    expect(tenantNames('mlp', '222222222222', 'fraud-detection').nodePool('train')).not.toBe(
      tenantNames('mlp', '222222222222', 'fraud').nodePool('detection-train'),
    );
  });
});
