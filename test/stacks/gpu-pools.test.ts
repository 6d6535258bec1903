/**
 * The tenant GPU pools as Karpenter deploys them, checked for their effects on the synthesized
 * output of the samples and of generated tenants: the objects validate against Karpenter's v1
 * CRD schemas, can only launch the file's instance types and capacity, are capped at the
 * ceiling the plan review prices, launch into the subnets and security group the shared stack
 * tags, with a node role that can join and that the controller may pass, and tag their
 * instances with the tag the tenant's budget counts.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import type { Platform, Tenant } from '../../config/model';
import { GPU_TAINT_KEY, SYSTEM_NODE_TAINT, TENANT_LABEL } from '../../config/names';
import { poolLimits } from '../../config/pool-limits';
import { tagKeyValueFilter } from '../../constructs/organization/tenant-budget';
import { KARPENTER_REQUIREMENT } from '../../constructs/cluster/karpenter-manifests';
import { blocksOf } from '../../tools/plan-review/blocks';
import { tenantCeiling } from '../../config/cost';
import { tenantFacts } from '../../tools/plan-review/tenant-facts';
import { gpuCostCeiling } from '../../tools/tenant/cost';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir, tenantDir, tenantFields } from '../support/config-fixtures';
import { karpenterModels, schemaError, type KarpenterModels } from '../support/karpenter-models';
import { nodesLaunched, poolAccepts, type PendingPod } from '../support/karpenter-sim';
import { accountStacks, bodies, single, synthPlatform, type StackJson, type Synthesized } from '../support/synth';
import { generateTenants } from '../support/tenant-generator';

type Manifest = Record<string, any>;

function manifests(stack: StackJson, kind: 'NodePool' | 'EC2NodeClass'): Manifest[] {
  return bodies(stack, 'kubernetes_manifest')
    .map((body) => body.manifest as Manifest)
    .filter((m) => m.kind === kind);
}

/** `mlp-*-gpu-nodes` as a regular expression, the way IAM matches a resource pattern. */
function iamGlob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** Whether a resource's tags satisfy a Karpenter selector term's tags. */
const selects = (term: { tags: Record<string, string> }, tags: Record<string, string>) => Object.entries(term.tags).every(([k, v]) => tags[k] === v);

const GENERATED = 30;

describe('tenant GPU pools (Karpenter)', () => {
  let models: KarpenterModels;
  let samples: Synthesized;
  let generated: Synthesized;
  let generatedDir: string;
  let platform: Platform;
  let tenants: Tenant[];
  beforeAll(async () => {
    models = await karpenterModels();
    samples = synthPlatform();
    generatedDir = tempDir('mlp-gpu-pools-');
    generateTenants(GENERATED, generatedDir);
    generated = synthPlatform(generatedDir);
    const sampleConfig = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
    platform = sampleConfig.platform;
    tenants = [...sampleConfig.tenants, ...loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: generatedDir }).tenants];
  });
  afterAll(() => {
    for (const dir of [samples?.outdir, generated?.outdir]) if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
    if (generatedDir) rmSync(generatedDir, { recursive: true, force: true });
  });

  const stackOf = (tenant: Tenant): StackJson => (samples.stacks[`tenant-${tenant.name}`] ?? generated.stacks[`tenant-${tenant.name}`]) as StackJson;
  const withPools = () => tenants.filter((t) => t.gpuPools.length > 0);

  test('the samples and the generated tenants hold pools of every shape: spot, on-demand, warm, mixed types', () => {
    const pools = withPools().flatMap((t) => t.gpuPools);
    expect(withPools().length).toBeGreaterThanOrEqual(20);
    expect(pools.some((p) => p.capacity === 'spot') && pools.some((p) => p.capacity === 'on-demand')).toBe(true);
    expect(pools.some((p) => p.minNodes > 0) && pools.some((p) => p.minNodes === 0)).toBe(true);
    expect(pools.some((p) => p.instanceTypes.length > 1)).toBe(true);
  });

  test('every NodePool and EC2NodeClass validates against the Karpenter v1 CRD schemas', () => {
    let checked = 0;
    for (const tenant of withPools()) {
      for (const m of manifests(stackOf(tenant), 'NodePool')) expect([m.metadata.name, schemaError(models.NodePool, m)]).toEqual([m.metadata.name, undefined]);
      for (const m of manifests(stackOf(tenant), 'EC2NodeClass'))
        expect([m.metadata.name, schemaError(models.EC2NodeClass, m)]).toEqual([m.metadata.name, undefined]);
      checked += manifests(stackOf(tenant), 'NodePool').length;
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  test('the schema check can fail: a NodePool without a node class reference is rejected', () => {
    const pool = structuredClone(manifests(samples.stacks['tenant-fraud-detection'], 'NodePool')[0]);
    delete pool.spec.template.spec.nodeClassRef;
    expect(schemaError(models.NodePool, pool)).toMatch(/nodeClassRef/);
  });

  test("every pool can only launch the file's instance types, with the file's capacity type, for its own tenant", () => {
    for (const tenant of withPools()) {
      for (const pool of tenant.gpuPools) {
        const nodePools = manifests(stackOf(tenant), 'NodePool').filter((m) => m.spec.template.metadata.labels['ml-platform/pool'] === pool.name);
        expect(nodePools.length).toBe((pool.minNodes > 0 ? 1 : 0) + (pool.maxNodes > pool.minNodes ? 1 : 0));
        for (const nodePool of nodePools) {
          const requirements: { key: string; operator: string; values: string[] }[] = nodePool.spec.template.spec.requirements;
          const on = (key: string) => requirements.filter((r) => r.key === key);
          // One In requirement per key, nothing that widens it (NotIn, Exists, Gt) and no other instance selector.
          expect(on(KARPENTER_REQUIREMENT.instanceType)).toEqual([
            { key: KARPENTER_REQUIREMENT.instanceType, operator: 'In', values: [...pool.instanceTypes] },
          ]);
          expect(on(KARPENTER_REQUIREMENT.capacityType)).toEqual([{ key: KARPENTER_REQUIREMENT.capacityType, operator: 'In', values: [pool.capacity] }]);
          expect(requirements.filter((r) => r.key.startsWith('karpenter.k8s.aws/instance'))).toEqual([]);
          expect(nodePool.spec.template.metadata.labels[TENANT_LABEL]).toBe(tenant.name);
          expect(nodePool.spec.template.spec.taints).toEqual(
            expect.arrayContaining([
              { key: TENANT_LABEL, value: tenant.name, effect: 'NoSchedule' },
              { key: GPU_TAINT_KEY, value: 'true', effect: 'NoSchedule' },
            ]),
          );
        }
      }
    }
  });

  test("a tenant's GPU pod can only make its own tenant's pools launch a node; a pod without the tolerations none", () => {
    const gpuPod = (tenant: string): PendingPod => ({
      tolerations: [
        { key: TENANT_LABEL, operator: 'Equal', value: tenant, effect: 'NoSchedule' },
        { key: GPU_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' },
      ],
      nodeSelector: { [TENANT_LABEL]: tenant },
      gpus: 1,
    });
    const all = withPools().flatMap((t) => manifests(stackOf(t), 'NodePool').map((pool) => ({ tenant: t.name, pool })));
    expect(all.length).toBeGreaterThanOrEqual(20);
    for (const tenant of withPools()) {
      const accepting = all.filter(({ pool }) => poolAccepts(pool, gpuPod(tenant.name)));
      expect(accepting.length).toBeGreaterThan(0);
      expect(new Set(accepting.map((a) => a.tenant))).toEqual(new Set([tenant.name]));
    }
    // A CPU pod of the tenant (no GPU toleration), or a pod that only claims the tenant's label, gets no GPU node.
    const [first] = withPools();
    expect(
      all.filter(({ pool }) => poolAccepts(pool, { tolerations: [gpuPod(first.name).tolerations[0]], nodeSelector: { [TENANT_LABEL]: first.name }, gpus: 0 })),
    ).toEqual([]);
    expect(
      all.filter(({ pool }) => poolAccepts(pool, { tolerations: [gpuPod(first.name).tolerations[1]], nodeSelector: { [TENANT_LABEL]: first.name }, gpus: 1 })),
    ).toEqual([]);
  });

  test('a burst of pending GPU pods scales a dynamic pool from zero to its ceiling and no further, whichever type Karpenter picks', () => {
    for (const tenant of withPools()) {
      for (const pool of tenant.gpuPools.filter((p) => p.maxNodes > p.minNodes)) {
        const dynamic = manifests(stackOf(tenant), 'NodePool').find((m) => m.metadata.name === `${tenant.name}.${pool.name}`);
        if (dynamic === undefined) throw new Error(`no dynamic NodePool for ${tenant.name}.${pool.name}`);
        const largestGpus = Math.max(...pool.instanceTypes.map((t) => platform.gpuInstanceTypes[t].gpus));
        for (const type of pool.instanceTypes) {
          const size = platform.gpuInstanceTypes[type];
          const launched = nodesLaunched(dynamic, size, 1000, 1);
          // Never more GPUs than maxNodes of the largest type; with the largest type, exactly the dynamic nodes.
          expect(launched * size.gpus).toBeLessThanOrEqual(pool.maxNodes * largestGpus);
          if (size.gpus === largestGpus) expect([tenant.name, type, launched]).toEqual([tenant.name, type, pool.maxNodes - pool.minNodes]);
        }
        expect(nodesLaunched(dynamic, platform.gpuInstanceTypes[pool.instanceTypes[0]], 0, 1)).toBe(0);
      }
    }
  });

  test('the limits cap each pool at maxNodes of its largest type, and the plan review prices exactly that ceiling', () => {
    for (const tenant of withPools()) {
      const stack = stackOf(tenant);
      const facts = tenantFacts(tenant.name, blocksOf(stack as Record<string, unknown>), []);
      for (const pool of tenant.gpuPools) {
        const largestGpus = Math.max(...pool.instanceTypes.map((t) => platform.gpuInstanceTypes[t].gpus));
        const nodePools = manifests(stack, 'NodePool').filter((m) => m.spec.template.metadata.labels['ml-platform/pool'] === pool.name);
        const warm = nodePools.find((m) => m.spec.replicas !== undefined);
        const dynamic = nodePools.find((m) => m.spec.replicas === undefined);
        // The GPUs the synthesized limits allow: warm nodes of the largest type plus the dynamic pool's GPU limit.
        const warmGpus = warm ? Number(warm.spec.limits.nodes) * largestGpus : 0;
        const gpuCeiling = warmGpus + (dynamic ? Number(dynamic.spec.limits[GPU_TAINT_KEY]) : 0);
        expect([tenant.name, pool.name, gpuCeiling]).toEqual([tenant.name, pool.name, pool.maxNodes * largestGpus]);
        if (warm) expect(Number(warm.spec.limits.nodes)).toBe(warm.spec.replicas);
        if (dynamic) {
          const largest = (field: 'vcpus' | 'memoryGi') => Math.max(...pool.instanceTypes.map((t) => platform.gpuInstanceTypes[t][field]));
          expect(dynamic.spec.limits.cpu).toBe(String((pool.maxNodes - pool.minNodes) * largest('vcpus')));
          expect(dynamic.spec.limits.memory).toBe(`${(pool.maxNodes - pool.minNodes) * largest('memoryGi')}Gi`);
        }
        const read = facts.pools.find((p) => p.name === pool.name);
        expect(read && read.warmNodes * largestGpus + read.gpuLimit).toBe(gpuCeiling);
      }
      // What the review prices from the synthesized limits is what tenant:describe shows from the file.
      expect(tenantCeiling(facts, platform.gpuInstanceTypes).monthlyUsd).toBeCloseTo(gpuCostCeiling(tenant.gpuPools, platform.gpuInstanceTypes).monthlyUsd, 6);
    }
  });

  test("node classes launch into the subnets and security group the shared stack tags, with IMDSv2 (one hop) and an encrypted root volume of the pool's disk", () => {
    const shared = samples.stacks.shared;
    const privateSubnets = bodies(shared, 'aws_subnet').filter((s) => String(s.tags?.Name ?? '').includes('-private-'));
    const sgTag = single(shared, 'aws_ec2_tag', 'karpenter');
    expect(sgTag.resource_id).toMatch(/aws_eks_cluster\.\S+\.vpc_config\[0\]\.cluster_security_group_id/);
    for (const tenant of withPools()) {
      for (const nodeClass of manifests(stackOf(tenant), 'EC2NodeClass')) {
        const pool = tenant.gpuPools.find((p) => p.name === nodeClass.metadata.labels['ml-platform/pool']);
        expect(privateSubnets.filter((s) => nodeClass.spec.subnetSelectorTerms.some((t: { tags: Record<string, string> }) => selects(t, s.tags)))).toHaveLength(
          platform.cluster.availabilityZones.length,
        );
        expect(nodeClass.spec.securityGroupSelectorTerms.some((t: { tags: Record<string, string> }) => selects(t, { [sgTag.key]: sgTag.value }))).toBe(true);
        expect(nodeClass.spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
        expect(nodeClass.spec.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: true, volumeSize: `${pool?.diskGi}Gi` });
        expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: platform.karpenter.amiAlias }]);
      }
    }
    expect(platform.karpenter.amiAlias).toMatch(/^al2023@v\d{8}$/);
  });

  /** The role names (globs) the controller's PassRole statement names. */
  function passableRoles(): string[] {
    const controller = single(samples.stacks.shared, 'aws_iam_role', 'karpenter');
    const policy = String(controller.inline_policy[0].policy);
    const statement = /"Sid" = "PassOnlyNodeRoles"[^}]*?"Resource" = \[([^\]]*)\]/.exec(policy);
    expect(statement).not.toBeNull();
    expect(policy).not.toContain('undefined');
    const names = [...statement![1].matchAll(/"arn:aws:iam::222222222222:role\/([^"]+)"/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(0);
    return names;
  }
  const passable = (role: string) => passableRoles().some((glob) => iamGlob(glob).test(role));

  test('the node role can join the cluster (EC2_LINUX access entry) and is one the controller may pass', () => {
    const controller = single(samples.stacks.shared, 'aws_iam_role', 'karpenter');
    // Launches and deletions are limited to instances tagged as this cluster's (a literal key, not a reference).
    expect(String(controller.inline_policy[0].policy)).toContain('"aws:RequestTag/kubernetes.io/cluster/mlp-shared" = "owned"');
    expect(withPools().length).toBeGreaterThan(0);
    for (const tenant of withPools()) {
      const stack = stackOf(tenant);
      const role = single(stack, 'aws_iam_role', 'gpu-node-role');
      expect(role.provider).toBe('aws.platform');
      const entry = bodies(stack, 'aws_eks_access_entry').find((e) => e.type === 'EC2_LINUX');
      expect(entry?.principal_arn).toMatch(/aws_iam_role\.platform-account_gpu-node-role_\w+\.arn/);
      for (const nodeClass of manifests(stack, 'EC2NodeClass')) expect(nodeClass.spec.role).toBe(role.name);
      expect(passable(role.name)).toBe(true);
    }
  });

  test("the general pool's node role joins the cluster and may be passed; the system nodes' role may not", () => {
    const shared = samples.stacks.shared;
    const general = single(shared, 'aws_iam_role', 'general-node-role');
    const entry = bodies(shared, 'aws_eks_access_entry').find((e) => e.type === 'EC2_LINUX');
    expect(entry?.principal_arn).toMatch(/aws_iam_role\.cluster_general-node-role_\w+\.arn/);
    const nodeClass = manifests(samples.stacks['shared-pools'] as StackJson, 'EC2NodeClass')[0];
    expect(nodeClass.spec.role).toBe(general.name);
    expect(passable(general.name)).toBe(true);
    const system = single(shared, 'aws_iam_role', 'cluster/node-role');
    expect(passable(system.name)).toBe(false);
  });

  test("instances, volumes and network interfaces carry the tag the tenant's budget counts, and that tag is activated", () => {
    const organization = samples.stacks.organization;
    const activated = bodies(organization, 'aws_ce_cost_allocation_tag')
      .filter((t) => t.status === 'Active')
      .map((t) => t.tag_key);
    expect(activated.sort()).toEqual(['cost-center', 'tenant']);
    for (const tenant of tenants.filter((t) => samples.stacks[`tenant-${t.name}`] && t.gpuPools.length > 0)) {
      const budget = bodies(accountStacks(samples.stacks), 'aws_budgets_budget').find((b) => b.name === `mlp-${tenant.name}-monthly`);
      // One dimension only: a second one would be ANDed and count less than the tenant's spend.
      expect(budget?.cost_filter).toHaveLength(1);
      const [filter] = budget!.cost_filter;
      expect(filter.name).toBe('TagKeyValue');
      for (const nodeClass of manifests(stackOf(tenant), 'EC2NodeClass')) {
        const tags: Record<string, string> = nodeClass.spec.tags;
        expect(filter.values).toContain(tagKeyValueFilter(TENANT_LABEL, tags[TENANT_LABEL]));
        expect(tags[TENANT_LABEL]).toBe(tenant.name);
        expect(tags['cost-center']).toBe(tenant.costCenter);
        expect(activated).toEqual(expect.arrayContaining([TENANT_LABEL, 'cost-center']));
      }
      const account = bodies(accountStacks(samples.stacks), 'aws_budgets_budget').find((b) => b.name === `mlp-${tenant.name}-account`);
      expect(account?.cost_filter).toEqual([{ name: 'LinkedAccount', values: [expect.any(String)] }]);
    }
  });

  test("the tenant's own resources carry the same tag through the providers' default tags", () => {
    const fraud = samples.stacks['tenant-fraud-detection'];
    for (const provider of fraud.provider?.aws ?? []) expect((provider as any).default_tags[0].tags[TENANT_LABEL]).toBe('fraud-detection');
  });

  test('a CPU-only tenant gets no Karpenter object and no node role', () => {
    const analytics = samples.stacks['tenant-analytics'];
    expect(bodies(analytics, 'kubernetes_manifest').filter((b) => String(b.manifest?.apiVersion).startsWith('karpenter'))).toEqual([]);
    expect(bodies(analytics, 'aws_iam_role', 'gpu-node-role')).toEqual([]);
    expect(bodies(samples.stacks['tenant-fraud-detection'], 'aws_eks_node_group')).toEqual([]);
  });

  test('names cannot collide: tenant team-x with pool y and tenant team with pool x-y get different NodePools', () => {
    const dir = tenantDir({
      'team-x': tenantFields('team-x', { gpuPools: [{ name: 'y', instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 1, maxNodes: 2 }] }),
      team: tenantFields('team', { gpuPools: [{ name: 'x-y', instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 1, maxNodes: 2 }] }),
    });
    try {
      const out = synthPlatform(dir);
      try {
        // Cluster-scoped objects only (queues and claims are namespaced): node classes, NodePools, Kueue flavors and queues, bucket volumes (2 each).
        const names = ['tenant-team-x', 'tenant-team'].flatMap((s) =>
          bodies(out.stacks[s], 'kubernetes_manifest')
            .filter((b) => b.manifest.metadata.namespace === undefined)
            .map((b) => `${b.manifest.kind}/${b.manifest.metadata.name}`),
        );
        expect(names).toHaveLength(16);
        expect(new Set(names).size).toBe(16);
        expect(names).toEqual(expect.arrayContaining(['ResourceFlavor/team-x.y', 'ResourceFlavor/team.x-y']));
        expect(names).toEqual(expect.arrayContaining(['NodePool/team-x.y', 'NodePool/team.x-y', 'NodePool/team-x.y.warm', 'NodePool/team.x-y.warm']));
      } finally {
        rmSync(path.dirname(out.outdir), { recursive: true, force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the controller runs on the system nodes, tolerating their taint, under the identity its role trusts, reading the queue the rules feed', () => {
    const shared = samples.stacks.shared;
    const release = single(samples.stacks['shared-k8s'], 'helm_release', 'karpenter/controller');
    const values = JSON.parse(release.values[0]);
    const systemGroup = bodies(shared, 'aws_eks_node_group').find((g) => g.node_group_name === 'mlp-system');
    expect(Object.entries(values.nodeSelector).every(([k, v]) => systemGroup?.labels[k] === v)).toBe(true);
    expect(values.tolerations).toContainEqual({
      key: SYSTEM_NODE_TAINT.key,
      operator: 'Equal',
      value: SYSTEM_NODE_TAINT.value,
      effect: SYSTEM_NODE_TAINT.effect,
    });
    expect(release.version).toBe(platform.karpenter.chartVersion);
    const association = single(shared, 'aws_eks_pod_identity_association', 'karpenter');
    expect([association.namespace, association.service_account]).toEqual([release.namespace, values.serviceAccount.name]);
    const trust = String(single(shared, 'aws_iam_role', 'karpenter').assume_role_policy);
    expect(trust).toContain('pods.eks.amazonaws.com');
    expect(trust).toMatch(/"aws:RequestTag\/eks-cluster-arn" = aws_eks_cluster\.cluster_\w+\.arn\b/);
    expect(trust).toContain(`"aws:RequestTag/kubernetes-namespace" = "${association.namespace}"`);
    expect(trust).toContain(`"aws:RequestTag/kubernetes-service-account" = "${association.service_account}"`);
    const queue = single(shared, 'aws_sqs_queue', 'karpenter');
    expect(values.settings.interruptionQueue).toBe(queue.name);
    const targets = bodies(shared, 'aws_cloudwatch_event_target', 'karpenter');
    expect(targets.length).toBe(4);
    for (const target of targets) expect(target.arn).toMatch(/aws_sqs_queue\.karpenter_interruption-queue_\w+\.arn/);
    // One Pod Identity agent in the cluster, and the controller's association waits for it.
    expect(single(shared, 'aws_eks_addon', 'pod-identity-agent').addon_name).toBe('eks-pod-identity-agent');
    expect(association.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_addon\.cluster_addon-eks-pod-identity-agent_\w+$/)]));
  });

  test('pool limits follow the file: warm nodes in the static pool, the rest in the dynamic one', () => {
    const sizes = platform.gpuInstanceTypes;
    expect(poolLimits({ instanceTypes: ['g6.xlarge', 'g6.12xlarge'], minNodes: 1, maxNodes: 3 }, sizes)).toEqual({
      warmNodes: 1,
      dynamicNodes: 2,
      gpus: 8,
      cpu: 96,
      memoryGi: 384,
    });
    expect(poolLimits({ instanceTypes: ['p4d.24xlarge'], minNodes: 2, maxNodes: 2 }, sizes)).toMatchObject({ warmNodes: 2, dynamicNodes: 0, gpus: 0 });
  });
});
