import { Testing, TerraformStack } from 'cdktf';
import type { GpuPool } from '../../../config/model';
import { poolLimits } from '../../../config/pool-limits';
import { gpuPoolManifests } from '../../../constructs/tenant/gpu-pool-manifests';
import { KarpenterGpuPool, type KarpenterGpuPoolProps } from '../../../constructs/tenant/karpenter-gpu-pool';
import { karpenterModels, schemaError, type KarpenterModels } from '../../support/karpenter-models';

const SIZES = {
  'g6.xlarge': { gpus: 1, vcpus: 4, memoryGi: 16, onDemandHourlyUsd: 0.8 },
  'g6.12xlarge': { gpus: 4, vcpus: 48, memoryGi: 192, onDemandHourlyUsd: 4.6 },
};

function props(pool: Partial<GpuPool> = {}): KarpenterGpuPoolProps {
  const full: GpuPool = { name: 'train', instanceTypes: ['g6.xlarge', 'g6.12xlarge'], capacity: 'spot', minNodes: 0, maxNodes: 3, diskGi: 300, ...pool };
  return {
    tenantName: 'a',
    pool: full,
    limits: poolLimits(full, SIZES),
    name: 'a.train',
    warmName: 'a.train.warm',
    nodeRoleName: 'mlp-a-gpu-nodes',
    clusterName: 'mlp-shared',
    amiAlias: 'al2023@v20250410',
    tags: { tenant: 'a', 'cost-center': 'cc-1' },
  };
}

describe('Karpenter GPU pool manifests', () => {
  let models: KarpenterModels;
  beforeAll(async () => {
    models = await karpenterModels();
  });

  test('a pool without warm nodes is a node class and a dynamic pool, both valid against the CRD schemas', () => {
    const m = gpuPoolManifests(props());
    expect(m.warmPool).toBeUndefined();
    expect(schemaError(models.EC2NodeClass, m.nodeClass)).toBeUndefined();
    expect(schemaError(models.NodePool, m.dynamicPool)).toBeUndefined();
    expect((m.dynamicPool as any).spec.limits).toEqual({ 'nvidia.com/gpu': '12', cpu: '144', memory: '576Gi' });
  });

  test('warm nodes add a valid static pool with a node limit equal to its replicas', () => {
    const m = gpuPoolManifests(props({ minNodes: 1 }));
    expect(schemaError(models.NodePool, m.warmPool)).toBeUndefined();
    expect((m.warmPool as any).spec).toMatchObject({ replicas: 1, limits: { nodes: '1' } });
    // The dynamic pool covers only the nodes above the warm ones.
    expect((m.dynamicPool as any).spec.limits['nvidia.com/gpu']).toBe('8');
  });

  test('a pool whose nodes are all warm has no dynamic pool', () => {
    const m = gpuPoolManifests(props({ minNodes: 3 }));
    expect(m.dynamicPool).toBeUndefined();
    expect((m.warmPool as any).spec.replicas).toBe(3);
  });

  test('the schema rejects what Karpenter would: a non-integer replica count, an unknown consolidation policy', () => {
    const warm = structuredClone(gpuPoolManifests(props({ minNodes: 1 })).warmPool) as any;
    warm.spec.replicas = 'two';
    expect(schemaError(models.NodePool, warm)).toMatch(/replicas/);
    const dynamic = structuredClone(gpuPoolManifests(props()).dynamicPool) as any;
    dynamic.spec.disruption.consolidationPolicy = 'Sometimes';
    expect(schemaError(models.NodePool, dynamic)).toMatch(/consolidationPolicy/);
  });
});

describe('KarpenterGpuPool', () => {
  const build = (p: KarpenterGpuPoolProps) => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new KarpenterGpuPool(stack, 'pool', p);
    return JSON.parse(Testing.synth(stack));
  };

  test('writes one kubernetes_manifest per object', () => {
    const kinds = Object.values(build(props({ minNodes: 1 })).resource.kubernetes_manifest).map((r: any) => `${r.manifest.kind}/${r.manifest.metadata.name}`);
    expect(kinds.sort()).toEqual(['EC2NodeClass/a.train', 'NodePool/a.train', 'NodePool/a.train.warm']);
  });

  test('collects every problem in one error naming the pool', () => {
    const bad = props({ instanceTypes: [], minNodes: 4, maxNodes: 3 });
    expect(() => build(bad)).toThrow(/^GPU pool a\.train: instanceTypes must list at least one type; minNodes must be between 0 and maxNodes \(3\), got 4/);
  });

  test('refuses limits that do not cover maxNodes, or an instance type without a size', () => {
    const p = props();
    expect(() => build({ ...p, limits: { ...p.limits, dynamicNodes: 1 } })).toThrow('the limits cover 1 nodes, not maxNodes (3)');
    expect(() => build({ ...p, limits: poolLimits(p.pool, {}) })).toThrow(/give every instance type its size in platform\.yaml gpuInstanceTypes/);
  });
});
