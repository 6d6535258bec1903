/**
 * The platform's shared GPU pool (platform.yaml `kueue.sharedGpuPool`), on a platform that has
 * one: its Karpenter objects valid and capped, every tenant queue lists its flavor with the
 * tenant's share and lends it, only it; a job Kueue places there is admitted and lands on the
 * shared NodePool only; the namespace quota leaves room for what a tenant may borrow; the
 * isolation proof passes and notes the shared flavor; and a tenant share without a pool, or
 * above its size, is rejected.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Testing, TerraformStack } from 'cdktf';
import { SharedGpuPool } from '../../constructs/cluster/shared-gpu-pool';
import * as path from 'node:path';
import { admit } from '../../proof/cluster/admission';
import { peopleOf } from '../../proof/cluster/attacks';
import { readClusterModel, type ApiObject } from '../../proof/cluster/cluster-model';
import { proveCluster } from '../../proof/cluster/prove-cluster';
import { placedByFlavor, queuedGpuPod } from '../../proof/cluster/queues';
import { readSynthDir } from '../../proof/resolve';
import { formatProblem, validateStacks } from '../../tools/kubernetes-schema/validate';
import { queueText } from '../../tools/tenant/queue-examples';
import { loadConfig } from '../../config/load';
import { PLATFORM_FILE, problems, tempDir, tenantDir, tenantFields } from '../support/config-fixtures';
import { karpenterModels, schemaError } from '../support/karpenter-models';
import { poolAccepts } from '../support/karpenter-sim';
import { bodies, single, synthPlatform, type Synthesized } from '../support/synth';

const SHARED = 'kueue:   # job queueing: a ClusterQueue and LocalQueue per tenant; see docs/queues.md\n  chartVersion: "0.14.3"\n';
const WITH_POOL = `${SHARED}  sharedGpuPool: { instanceTypes: [g6.xlarge, g6.12xlarge], capacity: spot, maxNodes: 2 }\n`;

describe('a shared GPU pool', () => {
  const dirs: string[] = [];
  let synth: Synthesized;
  let platformFile: string;
  beforeAll(() => {
    const dir = tempDir();
    dirs.push(dir);
    platformFile = path.join(dir, 'platform.yaml');
    const text = readFileSync(PLATFORM_FILE, 'utf8');
    expect(text).toContain(SHARED);
    writeFileSync(platformFile, text.replace(SHARED, WITH_POOL));
    const tenants = tenantDir({
      a: tenantFields('a', { sharedGpus: 4 }),
      b: tenantFields('b', { gpuPools: [], quota: { cpu: 8, memoryGi: 32, gpus: 0 }, sharedGpus: 2 }),
    });
    dirs.push(tenants);
    synth = synthPlatform(tenants, platformFile);
    dirs.push(path.dirname(synth.outdir));
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const manifests = (stack: string, kind: string) =>
    bodies(synth.stacks[stack], 'kubernetes_manifest')
      .map((b) => b.manifest)
      .filter((m) => m.kind === kind);
  /** The shared GPU pool's objects of a kind, in shared-pools (beside the general pool's). */
  const sharedPool = (kind: string) => manifests('shared-pools', kind).filter((m) => m.metadata.name === 'shared-gpu');

  test('lives in shared-pools, applied after shared-k8s installs the CRDs it needs at plan time', () => {
    expect(bodies(synth.stacks['shared-k8s'], 'kubernetes_manifest').filter((b) => b.manifest.metadata.name === 'shared-gpu')).toEqual([]);
    expect(sharedPool('NodePool')).toHaveLength(1);
    expect(sharedPool('ResourceFlavor')).toHaveLength(1);
  });

  test('is a NodePool capped at maxNodes of its largest type, with the GPU taint and no tenant taint, valid against the Karpenter schemas', async () => {
    const [pool] = sharedPool('NodePool');
    const models = await karpenterModels();
    expect(schemaError(models.NodePool, pool)).toBeUndefined();
    expect(schemaError(models.EC2NodeClass, sharedPool('EC2NodeClass')[0])).toBeUndefined();
    expect(pool.spec.limits).toEqual({ 'nvidia.com/gpu': '8' });
    expect(pool.spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    expect(sharedPool('EC2NodeClass')[0].spec.role).toBe('mlp-shared-gpu-nodes');
    // The controller may pass it: it matches the node-role pattern of its policy.
    expect(JSON.stringify(synth.stacks.shared)).toContain('mlp-*-gpu-nodes');
    expect(single(synth.stacks.shared, 'aws_eks_access_entry', 'shared-gpu-node-role').type).toBe('EC2_LINUX');
  });

  test('every tenant queue lists the shared flavor last with its share, lends it and only it, and may reclaim it; the namespace quota leaves room to borrow', () => {
    for (const [tenant, share] of [
      ['a', '4'],
      ['b', '2'],
    ] as const) {
      const [queue] = manifests(`tenant-${tenant}`, 'ClusterQueue');
      const gpuGroup = queue.spec.resourceGroups.find((g: ApiObject) => g.coveredResources.includes('nvidia.com/gpu'));
      const last = gpuGroup.flavors[gpuGroup.flavors.length - 1];
      expect(last).toEqual({ name: 'shared-gpu', resources: [{ name: 'nvidia.com/gpu', nominalQuota: share }] });
      const lent = queue.spec.resourceGroups
        .flatMap((g: ApiObject) => g.flavors)
        .filter((f: ApiObject) => f.resources.some((r: ApiObject) => r.lendingLimit === undefined));
      expect(lent.map((f: ApiObject) => f.name)).toEqual(['shared-gpu']);
      expect(queue.spec.preemption.reclaimWithinCohort).toBe('Any');
    }
    const hard = single(synth.stacks['tenant-b'], 'kubernetes_resource_quota_v1', 'namespace/quota').spec.hard;
    expect(hard['requests.nvidia.com/gpu']).toBe('8');
  });

  test("a job Kueue places on the shared flavor is admitted and lands on the shared NodePool, not on a tenant's", () => {
    const model = readClusterModel(readSynthDir(synth.outdir));
    const flavor = model.objects.map((o) => o.object as ApiObject).find((o) => o.kind === 'ResourceFlavor' && o.metadata.name === 'shared-gpu')!;
    const b = model.tenants.find((t) => t.name === 'b')!;
    const pod = placedByFlavor(queuedGpuPod(b), flavor);
    expect(
      admit(model, {
        operation: 'CREATE',
        resource: { group: '', version: 'v1', resource: 'pods' },
        namespaceObject: b.namespaceObject,
        object: pod,
        oldObject: null,
        userInfo: peopleOf(b),
      }).allowed,
    ).toBe(true);
    const pools = Object.keys(synth.stacks).flatMap((s) => manifests(s, 'NodePool').map((p) => ({ stack: s, pool: p })));
    const accepting = pools.filter(({ pool }) => poolAccepts(pool, { tolerations: pod.spec.tolerations, nodeSelector: pod.spec.nodeSelector, gpus: 1 }));
    expect(accepting.map((p) => p.pool.metadata.name)).toEqual(['shared-gpu']);
  });

  test('the objects are valid and the isolation proof passes, noting the shared flavor', async () => {
    const result = await validateStacks(
      Object.entries(synth.stacks).map(([name, config]) => ({ name, config: config as never })),
      '1.32',
    );
    expect(result.problems.map(formatProblem)).toEqual([]);
    const proof = proveCluster(readSynthDir(synth.outdir));
    expect(proof.findings).toEqual([]);
    expect(proof.notes).toEqual([expect.stringContaining("shared by design: the platform's GPU flavor shared-gpu is in every tenant queue and lent")]);
  });

  test('tenant:describe tells a tenant its share and how far it may borrow', () => {
    const tenants = tenantDir({ b: tenantFields('b', { gpuPools: [], quota: { cpu: 8, memoryGi: 32, gpus: 0 }, sharedGpus: 2 }) });
    dirs.push(tenants);
    const {
      platform,
      tenants: [b],
    } = loadConfig({ platformFile, tenantsDir: tenants });
    expect(queueText(b, platform)).toContain('; no GPUs; shared GPU pool: 2 GPUs guaranteed, idle ones borrowed up to 8 (borrowed jobs can be preempted)');
  });

  test('a share without a shared pool, or above its size, is rejected with the fix', () => {
    const none = tenantDir({ a: tenantFields('a', { sharedGpus: 1 }) });
    const tooBig = tenantDir({ a: tenantFields('a', { sharedGpus: 9 }) });
    dirs.push(none, tooBig);
    expect(problems(none)).toEqual([expect.stringContaining('sharedGpus: the platform has no shared GPU pool (kueue.sharedGpuPool in platform.yaml)')]);
    expect(problems(tooBig, platformFile)).toEqual([expect.stringContaining("sharedGpus: must be at most the shared pool's 8 GPUs, got 9")]);
  });
});

describe('the shared GPU pool construct', () => {
  test('rejects instance types the platform does not size, naming the setting and the fix', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const props = {
      settings: { instanceTypes: ['g6.xlarge', 'p5.48xlarge'], capacity: 'spot' as const, maxNodes: 2, diskGi: 200 },
      name: 'shared-gpu',
      poolLabel: 'shared',
      flavorName: 'shared-gpu',
      nodeRoleName: 'mlp-shared-gpu-nodes',
      clusterName: 'c',
      amiAlias: 'al2023@v20250410',
      instanceSizes: { 'g6.xlarge': { gpus: 1, vcpus: 4, memoryGi: 16, onDemandHourlyUsd: 0.8 } },
      tags: {},
    };
    expect(() => new SharedGpuPool(stack, 'p', props)).toThrow(
      'platform.yaml kueue.sharedGpuPool.instanceTypes: p5.48xlarge not in gpuInstanceTypes; use allowed GPU instance types (g6.xlarge)',
    );
  });
});
