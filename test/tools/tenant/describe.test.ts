import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../../config/load';
import { tenantNames } from '../../../config/names';
import { HOURS_PER_MONTH, usd } from '../../../config/cost';
import { describeTenant, renderTable, summaryLine } from '../../../tools/tenant/describe';
import { renderMermaid } from '../../../tools/tenant/mermaid';
import { scaffoldTenant } from '../../../tools/tenant/scaffold';
import { removeCopies, samplesCopy } from './fixtures';

afterAll(removeCopies);

const samples = loadConfig(samplesCopy());
const platform = samples.platform;
const sample = (name: string) => describeTenant(samples.tenants.find((t) => t.name === name)!, platform);
const price = (type: string) => platform.gpuInstanceTypes[type].onDemandHourlyUsd;

describe('tenant:describe table', () => {
  test('names every bucket by its derived name', () => {
    const table = renderTable(sample('fraud-detection'));
    const names = tenantNames(platform.name, platform.platformAccountId, 'fraud-detection');
    for (const purpose of ['datasets', 'artifacts', 'features']) expect(table).toContain(names.bucket(purpose));
  });

  test('names both of its stacks: the account stack in the management account and the tenant stack', () => {
    const table = renderTable(sample('fraud-detection'));
    expect(table).toMatch(
      /^stack +account-fraud-detection +Terraform stack in the management account: .*the platform's deployer mlp-deployer and planner mlp-fraud-detection-planner in the account \(a stack instance of the StackSet mlp-tenant-pipeline-roles\)/m,
    );
    expect(table).toMatch(/^stack +tenant-fraud-detection +/m);
    expect(table).toMatch(/^account +mlp-fraud-detection +new member account vended by its account stack account-fraud-detection,/m);
  });

  test('shows the roles, the namespace quota and the GPU pool with how it scales and its limits', () => {
    const table = renderTable(sample('fraud-detection'));
    expect(table).toMatch(/^role +fraud-detection-workload /m);
    expect(table).toMatch(/^role +fraud-detection-people /m);
    expect(table).toMatch(/^role +mlp-fraud-detection-gpu-nodes /m);
    expect(table).toMatch(/^namespace +fraud-detection +.*quota 64 CPUs, 512 GiB memory, 16 GPUs, 200 pods/m);
    expect(table).toMatch(
      /^GPU pool +fraud-detection\.train +g6\.12xlarge \(4 GPUs, .*\), g5\.12xlarge .*; spot; no node while idle; Karpenter adds nodes for pending GPU pods up to 16 GPUs, 192 CPUs, 768 GiB \(4 nodes of the largest type\) and removes empty ones after 5m; 500 GiB disk/m,
    );
    expect(renderTable(sample('recsys-inference'))).toMatch(
      /^GPU pool +recsys-inference\.serve +.*; on-demand; 2 warm nodes always running \(recsys-inference\.serve\.warm\); Karpenter adds nodes .* up to 6 GPUs/m,
    );
  });

  test("shows the people role's Kubernetes group and exactly what a GPU pod carries to be admitted (the spec the isolation proof admits)", () => {
    const table = renderTable(sample('fraud-detection'));
    expect(table).toMatch(/^cluster group +ml-platform:tenant:fraud-detection +.*ClusterRole ml-platform:tenant-edit in namespace fraud-detection only/m);
    expect(table).toMatch(
      /^GPU pod spec +fraud-detection +nodeSelector tenant=fraud-detection; tolerations tenant=fraud-detection:NoSchedule \(Equal\), nvidia\.com\/gpu:NoSchedule \(Exists\); a container limit nvidia\.com\/gpu: <count>; priorityClassName ml-inference or ml-training \(optional\); no nodeName, no NVIDIA_VISIBLE_DEVICES$/m,
    );
  });

  test('shows both budgets: the tagged spend in every account and the account itself', () => {
    const table = renderTable(sample('fraud-detection'));
    expect(table).toMatch(
      /^budget +mlp-fraud-detection-monthly +\$20,000 per month on everything tagged tenant=fraud-detection in every account, its GPU nodes in the platform account included/m,
    );
    expect(table).toMatch(/^budget +mlp-fraud-detection-account +\$20,000 per month on the tenant account's whole spend/m);
  });

  test('gives the GPU cost ceiling as the dearest mix of instances within the GPU limit', () => {
    const d = sample('fraud-detection');
    const ceiling = 4 * Math.max(price('g6.12xlarge'), price('g5.12xlarge')) * HOURS_PER_MONTH;
    expect(d.ceiling.monthlyUsd).toBeCloseTo(ceiling, 6);
    expect(renderTable(d)).toMatch(new RegExp(`^GPU ceiling +\\${usd(ceiling)} per month +train: 4 × g5\\.12xlarge \\(\\$5\\.672/h\\) × 730 h`, 'm'));
  });

  test('counts warm nodes at the highest price of their pool', () => {
    const d = sample('recsys-inference');
    expect(d.ceiling.monthlyUsd).toBeCloseTo(8 * price('g6.xlarge') * HOURS_PER_MONTH, 6);
    expect(renderTable(d)).toMatch(/serve: 2 warm nodes × \$0\.8048\/h \+ 6 × g6\.xlarge \(\$0\.8048\/h\) × 730 h/);
  });

  test('aligns the columns', () => {
    const lines = renderTable(sample('fraud-detection'))
      .split('\n')
      .filter((l) => /^(WHAT|account|bucket|budget) /.test(l));
    const nameColumn = lines.map((l) => l.search(/(?<=^\S+(?: \S+)? +)\S/));
    expect(new Set(nameColumn).size).toBe(1);
  });

  test('shows who signs in: the permission set of the tenant group, or that nobody can yet', () => {
    expect(renderTable(sample('fraud-detection'))).toMatch(
      /sign-in +mlp-fraud-detection +Identity Center permission set for group 9067a1b2c3-2a3b4c5d-6e7f-4801-9a2b-3c4d5e6f7a21, in this account only; may only assume fraud-detection-people/,
    );
    const withoutGroup = describeTenant({ ...samples.tenants.find((t) => t.name === 'analytics')!, peopleGroupId: undefined }, platform);
    expect(renderTable(withoutGroup)).toMatch(/sign-in +none +no people\.identityCenterGroupId/);
  });

  test('shows an adopted account by its id', () => {
    expect(renderTable(sample('recsys-inference'))).toMatch(/^account +333333333333 +existing member account, adopted/m);
  });

  test('shows a vended account by its name and root e-mail', () => {
    expect(renderTable(sample('analytics'))).toMatch(/^account +mlp-analytics +new member account .* root e-mail aws\+analytics@example\.com/m);
  });

  test('warns when the GPU ceiling is above the budget, and not otherwise', () => {
    const paths = samplesCopy();
    const body = {
      name: 'tight',
      owner: 'tight@example.com',
      costCenter: 'cc-1',
      account: { email: 'aws+tight@example.com' },
      gpuPools: [{ name: 'train', instanceTypes: ['g5.12xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 2 }],
      quota: { cpu: 8, memoryGi: 32, gpus: 8 },
      budget: { monthlyUsd: 1000 },
    };
    writeFileSync(path.join(paths.tenantsDir, 'tight.yaml'), stringify(body));
    const tight = describeTenant(loadConfig(paths).tenants.find((t) => t.name === 'tight')!, platform);
    expect(renderTable(tight)).toMatch(/^warning: the GPU cost ceiling \$[\d,]+ per month is above the budget \$1,000/m);
    expect(summaryLine(tight)).toMatch(/above the budget \$1,000$/);
    expect(renderTable(sample('fraud-detection'))).not.toMatch(/warning/);
  });

  test('shows a retained tenant without namespace, workload role or node pools', () => {
    const paths = samplesCopy();
    const text = `name: kept\nowner: kept@example.com\ncostCenter: cc-1\naccount: { email: aws+kept@example.com }\ngpuPools: [{ name: train, instanceTypes: [g6.xlarge], capacity: spot, minNodes: 0, maxNodes: 2 }]\nquota: { cpu: 8, memoryGi: 32, gpus: 2 }\nbudget: { monthlyUsd: 500 }\nlifecycle: retained\n`;
    writeFileSync(path.join(paths.tenantsDir, 'kept.yaml'), text);
    const d = describeTenant(loadConfig(paths).tenants.find((t) => t.name === 'kept')!, platform);
    const table = renderTable(d);
    expect(table).toMatch(/^lifecycle +retained +workloads removed/m);
    expect(table).not.toMatch(/^(namespace|GPU pool) /m);
    expect(table).not.toContain('kept-workload ');
    expect(d.ceiling.monthlyUsd).toBe(0);
  });
});

describe('tenant:describe mermaid', () => {
  test('is a fenced flowchart', () => {
    const lines = renderMermaid(sample('fraud-detection')).split('\n');
    expect(lines[0]).toBe('```mermaid');
    expect(lines[1]).toBe('flowchart LR');
    expect(lines[lines.length - 1]).toBe('```');
  });

  test('holds the tenant account and the shared cluster, with the node pool in the cluster', () => {
    const chart = renderMermaid(sample('fraud-detection'));
    const cluster = chart.slice(chart.indexOf('subgraph shared_cluster'), chart.indexOf('end', chart.indexOf('subgraph shared_cluster')));
    expect(chart).toMatch(/subgraph tenant_account\["Tenant account · new account mlp-fraud-detection"\]/);
    expect(cluster).toContain('Karpenter pool fraud-detection.train');
    expect(cluster).toContain('Namespace fraud-detection');
    expect(chart).toMatch(/pool_0 -->\|runs pods of\| tenant_namespace/);
  });

  test('links every bucket to the key and the roles that use it', () => {
    const chart = renderMermaid(sample('analytics'));
    for (const i of [0, 1]) {
      expect(chart).toContain(`data_key -->|encrypts| bucket_${i}`);
      expect(chart).toContain(`workload_role -->|reads and writes| bucket_${i}`);
    }
  });

  test('has no node pools for a CPU-only tenant', () => {
    expect(renderMermaid(sample('analytics'))).not.toMatch(/pool_|node_role/);
  });
});

describe('tenant:new then tenant:describe', () => {
  test('describe shows the name, the pool and the budget that new wrote', () => {
    const paths = samplesCopy();
    const written = scaffoldTenant(
      {
        name: 'speech',
        owner: 'speech@corp.example',
        costCenter: 'cc-77',
        gpu: { instanceTypes: ['g6.xlarge'], maxNodes: 3 },
        poolName: 'serve',
        capacity: 'on-demand',
        budgetUsd: 4000,
      },
      paths,
    );
    const loaded = loadConfig(paths);
    const d = describeTenant(loaded.tenants.find((t) => t.name === 'speech')!, loaded.platform);
    const table = renderTable(d);
    expect(table).toMatch(/^Tenant speech · owner speech@corp\.example · cost center cc-77 · active$/m);
    expect(table).toMatch(/^GPU pool +speech\.serve +g6\.xlarge .*; on-demand; no node while idle; Karpenter adds nodes for pending GPU pods up to 3 GPUs/m);
    expect(table).toMatch(/^budget +mlp-speech-monthly +\$4,000 per month/m);
    expect(d.ceiling.monthlyUsd).toBeCloseTo(written.ceiling.monthlyUsd, 6);
    expect(renderMermaid(d)).toContain('Karpenter pool speech.serve');
  });
});
