/**
 * The tenants' job queues as the platform deploys them, checked for their effects on the
 * synthesized samples: the queue's quotas are the tenant file's and never exceed the
 * namespace ResourceQuota (so an admitted job is never rejected after leaving the queue), a
 * GPU job Kueue admits onto a flavor lands on that pool's NodePool and on no other tenant's,
 * and Kueue itself is installed at the version platform.yaml pins.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { KUEUE } from '../../config/names';
import { KUEUE_CHART_REPOSITORY } from '../../constructs/cluster/kueue-release';
import { placedByFlavor } from '../../proof/cluster/queues';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR } from '../support/config-fixtures';
import { poolAccepts } from '../support/karpenter-sim';
import { bodies, single, synthPlatform, type StackJson, type Synthesized } from '../support/synth';

type Manifest = Record<string, any>;

const kueue = (stack: StackJson, kind: string): Manifest[] =>
  bodies(stack, 'kubernetes_manifest')
    .map((b) => b.manifest)
    .filter((m) => m.kind === kind);
const quotaOf = (queue: Manifest, flavor: string, resource: string) =>
  queue.spec.resourceGroups
    .flatMap((g: Manifest) => g.flavors)
    .find((f: Manifest) => f.name === flavor)
    ?.resources.find((r: Manifest) => r.name === resource)?.nominalQuota;

describe('tenant job queues in the synthesized platform', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthPlatform();
  });
  afterAll(() => rmSync(path.dirname(synth.outdir), { recursive: true, force: true }));

  test("each tenant's queue holds exactly its file's quota, equal to its namespace ResourceQuota", () => {
    const { tenants } = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
    expect(tenants).toHaveLength(3);
    for (const tenant of tenants) {
      const stack = synth.stacks[`tenant-${tenant.name}`];
      const [queue] = kueue(stack, 'ClusterQueue');
      expect(kueue(stack, 'ClusterQueue')).toHaveLength(1);
      // In the tenant's namespace, by reference, so it is created after the namespace.
      const namespaceName = single(stack, 'kubernetes_namespace_v1').metadata.name;
      expect(namespaceName).toBe(tenant.name);
      expect(kueue(stack, 'LocalQueue')).toEqual([
        expect.objectContaining({
          metadata: expect.objectContaining({
            name: KUEUE.localQueue,
            namespace: expect.stringMatching(/^\$\{kubernetes_namespace_v1\.namespace_[0-9A-F]+\.metadata\[0\]\.name\}$/),
          }),
        }),
      ]);
      const hard = single(stack, 'kubernetes_resource_quota_v1', 'namespace/quota').spec.hard;
      expect(quotaOf(queue, tenant.name, 'cpu')).toBe(String(tenant.quota.cpu));
      expect(hard['requests.cpu']).toBe(String(tenant.quota.cpu));
      expect(quotaOf(queue, tenant.name, 'memory')).toBe(`${tenant.quota.memoryGi}Gi`);
      const gpus = tenant.gpuPools.reduce((sum, p) => sum + Number(quotaOf(queue, `${tenant.name}.${p.name}`, 'nvidia.com/gpu')), 0);
      expect(gpus).toBeLessThanOrEqual(Number(hard['requests.nvidia.com/gpu'] ?? 0));
      if (tenant.gpuPools.length > 0) expect(gpus).toBe(tenant.quota.gpus);
    }
  });

  test("a GPU job admitted onto a tenant's flavor lands on that pool's NodePool, and on no other tenant's", () => {
    const pools = Object.entries(synth.stacks).flatMap(([name, stack]) => kueue(stack, 'NodePool').map((pool) => ({ stack: name, pool })));
    const flavors = Object.entries(synth.stacks).flatMap(([name, stack]) =>
      kueue(stack, 'ResourceFlavor')
        .filter((f) => f.spec.nodeLabels)
        .map((flavor) => ({ stack: name, flavor })),
    );
    expect(flavors.map((f) => f.flavor.metadata.name).sort()).toEqual(['fraud-detection.train', 'recsys-inference.serve']);
    for (const { stack, flavor } of flavors) {
      const pod = placedByFlavor({ spec: {} }, flavor).spec;
      const accepting = pools.filter(({ pool }) => poolAccepts(pool, { tolerations: pod.tolerations, nodeSelector: pod.nodeSelector, gpus: 1 }));
      expect(accepting.length).toBeGreaterThan(0);
      expect(accepting.every((p) => p.stack === stack)).toBe(true);
    }
  });

  test('Kueue is installed from its registry at the pinned chart version, on the system nodes', () => {
    const release = single(synth.stacks['shared-k8s'], 'helm_release', 'kueue');
    expect(release).toMatchObject({ repository: KUEUE_CHART_REPOSITORY, chart: 'kueue', version: '0.14.3', namespace: KUEUE.namespace });
    const values = JSON.parse(release.values[0]);
    expect(values.controllerManager.tolerations).toEqual([expect.objectContaining({ key: 'CriticalAddonsOnly' })]);
  });
});
