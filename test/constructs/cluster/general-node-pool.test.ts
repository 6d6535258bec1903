import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { loadConfig } from '../../../config/load';
import type { GeneralPoolSettings } from '../../../config/model';
import { GeneralNodePool, generalPoolManifests, type GeneralNodePoolProps } from '../../../constructs/cluster/general-node-pool';
import { karpenterModels, schemaError, type KarpenterModels } from '../../support/karpenter-models';
import { nodesLaunched, poolAccepts } from '../../support/karpenter-sim';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR } from '../../support/config-fixtures';
import { bodies, synthPlatform, type StackJson, type Synthesized } from '../../support/synth';

const SETTINGS: GeneralPoolSettings = { instanceTypes: ['m6i.4xlarge', 'm6a.4xlarge'], capacity: 'on-demand', maxCpu: 320, maxMemoryGi: 1280, diskGi: 100 };
/** m6i.4xlarge and m6a.4xlarge: 16 vCPUs, 64 GiB, no GPU. */
const M6_4XLARGE = { gpus: 0, vcpus: 16, memoryGi: 64, onDemandHourlyUsd: 0.768 };

function props(settings: Partial<GeneralPoolSettings> = {}): GeneralNodePoolProps {
  return {
    name: 'general',
    settings: { ...SETTINGS, ...settings },
    nodeLabel: { key: 'ml-platform/node-pool', value: 'general' },
    nodeRoleName: 'mlp-general-nodes',
    clusterName: 'mlp-shared',
    amiAlias: 'al2023@v20250410',
    tags: { owner: 'ml-platform-team' },
  };
}

type Manifest = Record<string, any>;
const manifestsOf = (stack: StackJson, kind: string): Manifest[] =>
  bodies(stack, 'kubernetes_manifest')
    .map((m) => m.manifest as Manifest)
    .filter((m) => m.kind === kind);

describe('the general CPU pool', () => {
  let models: KarpenterModels;
  let samples: Synthesized;
  beforeAll(async () => {
    models = await karpenterModels();
    samples = synthPlatform();
  });
  afterAll(() => {
    if (samples?.outdir) rmSync(path.dirname(samples.outdir), { recursive: true, force: true });
  });

  test('is a node class and a NodePool, both valid against the Karpenter CRD schemas', () => {
    const m = generalPoolManifests(props());
    expect(schemaError(models.EC2NodeClass, m.nodeClass)).toBeUndefined();
    expect(schemaError(models.NodePool, m.nodePool)).toBeUndefined();
  });

  test('launches only the listed types and capacity, on the general node role, with IMDSv2 and an encrypted disk', () => {
    const { nodeClass, nodePool } = generalPoolManifests(props({ capacity: 'spot' })) as unknown as { nodeClass: Manifest; nodePool: Manifest };
    const requirements = Object.fromEntries(nodePool.spec.template.spec.requirements.map((r: Manifest) => [r.key, r.values]));
    expect(requirements['node.kubernetes.io/instance-type']).toEqual(['m6i.4xlarge', 'm6a.4xlarge']);
    expect(requirements['karpenter.sh/capacity-type']).toEqual(['spot']);
    expect(nodeClass.spec.role).toBe('mlp-general-nodes');
    expect(nodeClass.spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
    expect(nodeClass.spec.blockDeviceMappings[0].ebs).toMatchObject({ volumeSize: '100Gi', encrypted: true });
  });

  test('scales from zero for pending CPU pods and stops at its CPU ceiling (320 vCPUs: 20 nodes of 16)', () => {
    const { nodePool } = generalPoolManifests(props()) as unknown as { nodeClass: Manifest; nodePool: Manifest };
    expect(nodePool.spec.replicas).toBeUndefined();
    expect(nodesLaunched(nodePool, M6_4XLARGE, 0, 1)).toBe(0);
    expect(nodesLaunched(nodePool, M6_4XLARGE, 5, 1)).toBe(5);
    expect(nodesLaunched(nodePool, M6_4XLARGE, 100, 1)).toBe(20);
  });

  test('the memory ceiling binds too when it is the smaller one', () => {
    const { nodePool } = generalPoolManifests(props({ maxMemoryGi: 640 })) as unknown as { nodeClass: Manifest; nodePool: Manifest };
    expect(nodesLaunched(nodePool, M6_4XLARGE, 100, 1)).toBe(10);
  });

  test("takes every tenant's CPU pods, and no tenant's GPU pod: the synthesized pools, side by side", () => {
    const [general] = manifestsOf(samples.stacks['shared-pools'] as StackJson, 'NodePool');
    const tenantPools = Object.entries(samples.stacks)
      .filter(([name]) => name.startsWith('tenant-'))
      .flatMap(([, stack]) => manifestsOf(stack as StackJson, 'NodePool'));
    expect(tenantPools.length).toBeGreaterThan(0);
    const cpuPod = { tolerations: [], nodeSelector: {}, gpus: 0 };
    expect(poolAccepts(general, cpuPod)).toBe(true);
    // A CPU pod never makes a tenant's GPU pool launch a node: the tenant and GPU taints stop it.
    for (const pool of tenantPools) expect(poolAccepts(pool, cpuPod)).toBe(false);
    const gpuPod = {
      tolerations: [
        { key: 'tenant', operator: 'Equal' as const, value: 'fraud-detection', effect: 'NoSchedule' },
        { key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoSchedule' },
      ],
      nodeSelector: { tenant: 'fraud-detection' },
      gpus: 1,
    };
    expect(poolAccepts(general, gpuPod)).toBe(false);
  });

  test('the synthesized pool carries platform.yaml: its types, capacity and ceiling', () => {
    const { platform } = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
    const [pool] = manifestsOf(samples.stacks['shared-pools'] as StackJson, 'NodePool');
    expect(pool.spec.limits).toEqual({ cpu: String(platform.cluster.generalNodes.maxCpu), memory: `${platform.cluster.generalNodes.maxMemoryGi}Gi` });
    const requirements = Object.fromEntries(pool.spec.template.spec.requirements.map((r: Manifest) => [r.key, r.values]));
    expect(requirements['node.kubernetes.io/instance-type']).toEqual(platform.cluster.generalNodes.instanceTypes);
  });

  test('waits for its node class, and the stack is applied after shared-k8s, which installs the CRDs', () => {
    const pool = bodies(samples.stacks['shared-pools'] as StackJson, 'kubernetes_manifest').find((m) => m.manifest.kind === 'NodePool')!;
    expect(pool.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.general-pool_node-class_\w+$/)]);
  });

  test('collects every problem of its settings in one error', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => new GeneralNodePool(stack, 'general', props({ instanceTypes: [], maxCpu: 0, maxMemoryGi: 0, diskGi: 8 }))).toThrow(
      'general node pool general: instanceTypes must list at least one type; maxCpu must be at least 1, got 0; maxMemoryGi must be at least 1, got 0; diskGi must be at least 20, got 8',
    );
  });
});
