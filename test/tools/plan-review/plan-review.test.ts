/**
 * Plan review of real synth pairs: the samples as base, and three heads (synthesizing is
 * the slow part): a tenant added; tenants changed together with a shared change; a tenant
 * file removed together with replacements in another tenant.
 */
import { HOURS_PER_MONTH } from '../../../config/cost';
import { planReview, type PlanReviewResult } from '../../../tools/plan-review';
import { STICKY_MARKER } from '../../../tools/plan-review/render';
import { newTenant, PLATFORM_FILE, platformWith, removeTempDirs, synth, tenantsDir, tempDir, passingChecks } from './fixtures';

const G6_XLARGE = 0.8048;
const G6_12XLARGE = 4.6016;
const G5_12XLARGE = 5.672;

let base: string;
let changedPlatform: string;
const heads: Record<string, string> = {};
const platformOf = (head: string) => (head === 'changed' ? changedPlatform : PLATFORM_FILE);

function review(head: string): PlanReviewResult {
  return planReview({ baseDir: base, headDir: heads[head], platformFile: platformOf(head), ...passingChecks() });
}

beforeAll(() => {
  base = synth(tenantsDir());
  heads.same = base;
  heads.added = synth(
    tenantsDir({
      add: {
        vision: newTenant('vision', {
          gpuPools: [{ name: 'train', instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 4 }],
          budget: { monthlyUsd: 5000 },
        }),
      },
    }),
  );
  changedPlatform = platformWith((text) => text.replace(/(systemNodes:[\s\S]*?maxNodes:) 4/, '$1 6'));
  heads.changed = synth(
    tenantsDir({
      edit: {
        'fraud-detection': (t) => {
          (t.gpuPools as { maxNodes: number }[])[0].maxNodes = 8;
          // The quota covers the pool at its new size (8 nodes of 4 GPUs).
          (t.quota as { gpus: number }).gpus = 32;
        },
        'recsys-inference': (t) => (t.budget = { monthlyUsd: 15000 }),
        analytics: (t) => (t.lifecycle = 'retained'),
      },
    }),
    changedPlatform,
  );
  heads.removed = synth(
    tenantsDir({
      remove: ['analytics'],
      edit: {
        'fraud-detection': (t) => {
          t.account = { email: 'aws+fraud-new@example.com' };
          (t.gpuPools as { instanceTypes: string[] }[])[0].instanceTypes = ['g6.12xlarge'];
        },
      },
    }),
  );
});

afterAll(removeTempDirs);

describe('plan review: no change', () => {
  it('is ok with every stack identical and nothing to deploy', () => {
    const { review: r, markdown } = review('same');
    expect(r.verdict).toBe('ok');
    expect(r.stacks.identical).toBe(r.stacks.head);
    expect(r.changedStacks).toEqual([]);
    expect(markdown.split('\n')[0]).toContain('no infrastructure changes');
  });
});

describe('plan review: tenant added', () => {
  it('is ok and lists the tenant as new, not as changed', () => {
    const { review: r } = review('added');
    expect(r.verdict).toBe('ok');
    expect(r.tenants.new.map((t) => t.name)).toEqual(['vision']);
    expect(r.tenants.changed).toEqual([]);
    expect(r.platform).toEqual([]);
  });

  it('shows what the new tenant gets: account, buckets, pool, quota and budget', () => {
    const { markdown } = review('added');
    const row = markdown.split('\n').find((l) => l.startsWith('| `vision` |') && l.includes('aws+vision@example.com'));
    expect(row).toBeDefined();
    expect(row).toContain('artifacts, datasets');
    expect(row).toContain('train: ≤ 4 GPUs × g6.xlarge, spot');
    expect(row).toContain('64 CPU, 512Gi, 16 GPU, 200 pods');
    expect(row).toContain('$5,000');
  });

  it('prices the new pool at max nodes × on-demand price × 730 h, with a spot note', () => {
    const { review: r, markdown } = review('added');
    const ceiling = 4 * G6_XLARGE * HOURS_PER_MONTH;
    expect(r.cost.ceilingDeltaUsd).toBeCloseTo(ceiling, 6);
    expect(r.cost.budgetDeltaUsd).toBe(5000);
    expect(markdown).toContain(`**+$${Math.round(ceiling).toLocaleString('en-US')}/month** GPU ceiling`);
    expect(markdown).toContain('spot: usually less');
  });

  it('deploys the new account stack before the new tenant stack, and nothing else', () => {
    expect(review('added').review.changedStacks).toEqual(['account-vision', 'tenant-vision']);
    expect(review('added').review.platform).toEqual([]);
  });

  it('counts the new resources of both stacks', () => {
    const { review: r, markdown } = review('added');
    expect(r.counts.create).toBe(r.tenants.new[0].changes.filter((c) => c.kind === 'resource').length);
    expect(r.counts.create).toBeGreaterThan(20);
    expect(markdown.split('\n')[0]).toMatch(
      new RegExp(`^## ✅ Plan review: ok · tenants: 1 new · resources: ${r.counts.create} to add, 0 to change, 0 to destroy`),
    );
  });
});

describe('plan review: tenants changed (with a shared change)', () => {
  it('lists the changed attribute old → new by construct path and address', () => {
    const { review: r, markdown } = review('changed');
    const fraud = r.tenants.changed.find((t) => t.name === 'fraud-detection')!;
    const nodePool = fraud.changes.find((c) => c.type === 'kubernetes_manifest')!;
    expect(nodePool.action).toBe('update');
    expect(nodePool.attributes.map((a) => [a.path, a.before, a.after])).toEqual([
      ['manifest.spec.limits.cpu', '192', '384'],
      ['manifest.spec.limits.memory', '768Gi', '1536Gi'],
      ['manifest.spec.limits.nvidia.com/gpu', '16', '32'],
    ]);
    expect(markdown).toContain('`gpu-pool-train/node-pool` (`kubernetes_manifest.');
    expect(markdown).toContain('`manifest.spec.limits.nvidia.com/gpu`: `16` → `32`');
  });

  it('warns when the GPU ceiling exceeds the budget and needs attention', () => {
    const { review: r } = review('changed');
    const ceiling = 8 * G5_12XLARGE * HOURS_PER_MONTH;
    expect(ceiling).toBeGreaterThan(20000);
    expect(r.verdict).toBe('needs attention');
    expect(r.findings.map((f) => f.text)).toContainEqual(
      `\`fraud-detection\`: GPU ceiling $${Math.round(ceiling).toLocaleString('en-US')}/month exceeds its budget of $20,000/month`,
    );
  });

  it('notes a tenant becoming retained: workloads go, data stays, nothing is blocked', () => {
    const { review: r } = review('changed');
    const analytics = r.tenants.changed.find((t) => t.name === 'analytics')!;
    expect(analytics.changes.every((c) => c.action === 'delete' && !c.dataBearing)).toBe(true);
    expect(r.findings).toContainEqual({
      level: 'attention',
      text: expect.stringMatching(
        /^`analytics` becomes retained: its namespace, GPU pools and workload role go \(\d+ resources\); the account, buckets and key stay$/,
      ),
    });
    expect(r.findings.filter((f) => f.level === 'blocked')).toEqual([]);
  });

  it('uses the highest price among a pool’s instance types for the delta', () => {
    const { review: r } = review('changed');
    expect(r.cost.ceilingDeltaUsd).toBeCloseTo(4 * Math.max(G6_12XLARGE, G5_12XLARGE) * HOURS_PER_MONTH, 6);
  });

  it('attributes a budget change in its account stack to its tenant, not to the platform', () => {
    const { review: r, markdown } = review('changed');
    const recsys = r.tenants.changed.find((t) => t.name === 'recsys-inference')!;
    expect(recsys.changes.map((c) => [c.stack, c.type, c.action])).toEqual([
      ['account-recsys-inference', 'aws_budgets_budget', 'update'],
      ['account-recsys-inference', 'aws_budgets_budget', 'update'],
    ]);
    expect(r.platform.map((p) => p.stack)).not.toContain('organization');
    expect(r.cost.budgetDeltaUsd).toBe(3000);
    expect(markdown).toContain('budget $12,000 → $15,000');
  });

  it('plans only the changed stacks, platform stacks first', () => {
    expect(review('changed').review.changedStacks).toEqual(['account-recsys-inference', 'shared', 'tenant-analytics', 'tenant-fraud-detection']);
  });
});

describe('plan review: tenant file removed', () => {
  it('is blocked with a loud warning naming the orphaned account, buckets and key', () => {
    const { review: r, markdown } = review('removed');
    expect(r.verdict).toBe('blocked');
    expect(r.tenants.removed.map((t) => t.name)).toEqual(['analytics']);
    expect(r.findings[0]).toEqual(expect.objectContaining({ level: 'blocked' }));
    expect(r.findings[0].text).toContain('tenant `analytics` removed: its account (aws+analytics@example.com), 2 buckets and KMS key');
    expect(markdown).toContain('[!CAUTION]');
    expect(markdown).toContain('buckets `mlp-analytics-notebooks-<account-id>`, `mlp-analytics-warehouse-exports-<account-id>`');
  });

  it('gives the offboarding path', () => {
    const { markdown } = review('removed');
    expect(markdown).toContain('**Offboarding path**');
    expect(markdown).toContain('`lifecycle: retained`');
  });

  it('counts both of its stacks as orphaned, nothing as destroyed: they are no longer synthesized, so nothing deletes the account', () => {
    const { review: r } = review('removed');
    const removed = r.tenants.removed[0];
    const account = removed.changes.filter((c) => c.stack === 'account-analytics').map((c) => `${c.type} ${c.action}`);
    expect(account).toEqual(
      expect.arrayContaining([
        'aws_organizations_account delete',
        'aws_budgets_budget delete',
        'aws_organizations_policy delete',
        'aws_cloudformation_stack_set_instance delete',
      ]),
    );
    expect(r.counts.delete).toBe(0);
    expect(r.counts.orphaned).toBe(removed.changes.filter((c) => c.kind === 'resource').length);
    const inStack = (stack: string) => removed.changes.filter((c) => c.stack === stack && c.kind === 'resource').length;
    expect(inStack('account-analytics')).toBeGreaterThan(5);
    expect(r.counts.orphaned).toBe(inStack('account-analytics') + inStack('tenant-analytics'));
    expect(r.counts.orphaned).toBeGreaterThan(20);
    expect(r.changedStacks).toEqual(['account-fraud-detection', 'tenant-fraud-detection']);
  });
});

describe('plan review: replacements (beside the removed tenant)', () => {
  it('blocks an account e-mail change: the account would be replaced', () => {
    const { review: r } = review('removed');
    const account = r.tenants.changed[0].changes.find((c) => c.type === 'aws_organizations_account')!;
    expect(account.action).toBe('replace');
    expect(account.attributes).toContainEqual(expect.objectContaining({ path: 'email', forcesReplacement: true }));
    expect(r.verdict).toBe('blocked');
    expect(r.findings.filter((f) => f.level === 'blocked').map((f) => f.text)).toEqual([
      expect.stringContaining('tenant `analytics` removed'),
      expect.stringMatching(/^`fraud-detection`: AWS account `fraud-detection-account\/account` would be \*\*replaced\*\* \(`email` cannot change in place\)/),
    ]);
  });

  it("updates a pool's instance types in place: the NodePool stays, Karpenter replaces drifted nodes", () => {
    const { review: r, markdown } = review('removed');
    const fraud = r.tenants.changed[0];
    const nodePool = fraud.changes.find((c) => c.type === 'kubernetes_manifest')!;
    expect(nodePool.action).toBe('update');
    expect(nodePool.attributes).toContainEqual(
      expect.objectContaining({ path: 'manifest.spec.template.spec.requirements[0].values', forcesReplacement: false }),
    );
    expect(fraud.changes.filter((c) => c.action === 'replace').map((c) => c.type)).toEqual(['aws_organizations_account']);
    expect(markdown).toContain('**(forces replacement)**');
  });
});

describe('plan review: shared change (beside the changed tenants)', () => {
  it('flags a shared-stack change as affecting every tenant', () => {
    const { review: r, markdown } = review('changed');
    expect(r.platform.map((p) => [p.stack, p.affectsEveryTenant])).toEqual([['shared', true]]);
    expect(r.findings.map((f) => f.text)).toContainEqual('`shared` changes 1 block: **affects every tenant**');
    expect(markdown).toContain('`scaling_config.max_size`: `4` → `6`');
  });

  it('keeps the shared change out of the tenants', () => {
    const { review: r } = review('changed');
    expect(r.tenants.changed.map((t) => t.name)).toEqual(['analytics', 'fraud-detection', 'recsys-inference']);
    expect(r.tenants.changed.flatMap((t) => t.changes).every((c) => c.stack !== 'shared')).toBe(true);
  });
});

describe('plan review: the comment', () => {
  it('starts with the verdict and counts and ends with the sticky marker', () => {
    const { markdown } = review('removed');
    expect(markdown.split('\n')[0]).toMatch(
      /^## ⛔ Plan review: blocked · tenants: 1 changed, 1 removed · resources: 0 to add, 1 to change, 1 to replace, 0 to destroy, \d+ orphaned · platform: unchanged$/,
    );
    expect(markdown.trimEnd().endsWith(STICKY_MARKER)).toBe(true);
  });

  it('says "not run" for checks without a report, and is then never ok', () => {
    const { review: r, markdown } = planReview({ baseDir: base, headDir: heads.added, platformFile: platformOf('added') });
    expect(markdown).toContain('- **Guardrails**: ➖ not run');
    expect(markdown).toContain('- **Isolation proof**: ➖ not run');
    expect(r.verdict).toBe('needs attention');
    expect(r.findings.map((f) => f.text)).toEqual([
      'Guardrails not run: no report was given, so the review cannot say it passed',
      'Isolation proof not run: no report was given, so the review cannot say it passed',
    ]);
  });

  it('opens and closes every details block', () => {
    for (const head of Object.keys(heads)) {
      const { markdown } = review(head);
      expect(markdown.split('<details>').length).toBe(markdown.split('</details>').length);
    }
  });
});

describe('plan review: inputs', () => {
  it('fails with the missing manifest named, not a crash', () => {
    const empty = tempDir();
    expect(() => planReview({ baseDir: empty, headDir: heads.same, platformFile: PLATFORM_FILE })).toThrow(
      /manifest\.json: not found; .* is not a synth output/,
    );
  });

  it('fails with the platform file named when it is missing', () => {
    expect(() => planReview({ baseDir: base, headDir: heads.same, platformFile: '/nonexistent/platform.yaml' })).toThrow(/platform\.yaml: file not found/);
  });
});
