import { Testing, TerraformStack } from 'cdktf';
import { queueQuotas } from '../../../config/queue-quotas';
import { tenantQueueManifests, type TenantQueueManifestProps } from '../../../constructs/tenant/tenant-queue-manifests';
import { TenantQueues } from '../../../constructs/tenant/tenant-queues';
import { kueueModel } from '../../../tools/kubernetes-schema/kueue-models';

const SIZES = { 'g6.12xlarge': { gpus: 4, vcpus: 48, memoryGi: 192, onDemandHourlyUsd: 4.6 } };

function props(overrides: Partial<TenantQueueManifestProps> = {}): TenantQueueManifestProps {
  const gpuPools = [{ name: 'train', instanceTypes: ['g6.12xlarge'], capacity: 'spot' as const, minNodes: 0, maxNodes: 2, diskGi: 200 }];
  return {
    tenantName: 'a',
    namespace: 'a',
    clusterQueue: 'a',
    localQueue: 'default',
    cohort: 'ml-platform',
    cpuFlavor: 'a',
    gpuFlavors: { train: 'a.train' },
    quotas: queueQuotas({ quota: { cpu: 32, memoryGi: 128, gpus: 6, pods: 200 }, gpuPools }, SIZES),
    ...overrides,
  };
}

function validate(object: object): void {
  const Model = kueueModel((object as { kind: string }).kind)!;
  new Model(object).validate();
}

describe('tenant queue manifests', () => {
  test('every object is valid against the Kueue model', () => {
    const m = tenantQueueManifests(props());
    [...m.flavors, m.clusterQueue, m.localQueue].forEach(validate);
    const cpuOnly = tenantQueueManifests(props({ gpuFlavors: {}, quotas: { cpu: 8, memoryGi: 16, gpusByPool: [], unplacedGpus: 0 } }));
    [...cpuOnly.flavors, cpuOnly.clusterQueue, cpuOnly.localQueue].forEach(validate);
    expect(cpuOnly.clusterQueue.spec.resourceGroups).toHaveLength(1);
  });

  test("the queue holds the tenant's quotas on its own flavors only, lends none of it, and serves the tenant's namespace only", () => {
    const { clusterQueue, localQueue } = tenantQueueManifests(props());
    expect(clusterQueue.spec.namespaceSelector).toEqual({ matchLabels: { tenant: 'a' } });
    expect(clusterQueue.spec.cohort).toBe('ml-platform');
    expect(clusterQueue.spec.resourceGroups).toEqual([
      {
        coveredResources: ['cpu', 'memory'],
        flavors: [
          {
            name: 'a',
            resources: [
              { name: 'cpu', nominalQuota: '32', lendingLimit: '0' },
              { name: 'memory', nominalQuota: '128Gi', lendingLimit: '0' },
            ],
          },
        ],
      },
      { coveredResources: ['nvidia.com/gpu'], flavors: [{ name: 'a.train', resources: [{ name: 'nvidia.com/gpu', nominalQuota: '6', lendingLimit: '0' }] }] },
    ]);
    expect(clusterQueue.spec.preemption.reclaimWithinCohort).toBe('Never');
    expect(localQueue).toMatchObject({ metadata: { name: 'default', namespace: 'a' }, spec: { clusterQueue: 'a' } });
  });

  test("a GPU flavor places pods exactly on the pool's nodes: its labels, its tenant taint and the GPU taint", () => {
    const [cpu, train] = tenantQueueManifests(props()).flavors;
    expect(cpu.spec).toEqual({});
    expect(train.spec).toEqual({
      nodeLabels: { tenant: 'a', 'ml-platform/pool': 'train' },
      tolerations: [
        { key: 'tenant', operator: 'Equal', value: 'a', effect: 'NoSchedule' },
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ],
    });
  });

  test('the construct rejects inconsistent props, naming every problem', () => {
    const stack = new TerraformStack(Testing.app(), 't');
    const bad = props({ cpuFlavor: 'a.train', quotas: { cpu: 0, memoryGi: 16, gpusByPool: [{ pool: 'train', gpus: 9, capacity: 8 }], unplacedGpus: 0 } });
    expect(() => new TenantQueues(stack, 'queues', bad)).toThrow(
      'queues of tenant a: the CPU and memory quotas must be positive, got 0 CPUs and 16 GiB; pool train: a GPU quota of 9 is outside 0..8 (what its nodes hold); flavor names must be distinct, got a.train, a.train',
    );
  });

  test('the construct keys flavors by pool name', () => {
    const stack = new TerraformStack(Testing.app(), 't');
    new TenantQueues(stack, 'queues', props());
    const manifests = JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest as Record<
      string,
      { manifest: { kind: string; metadata: { name: string } } }
    >;
    const keys = Object.keys(manifests).map((k) => k.replace(/_[0-9A-F]{8}$/, ''));
    expect(keys.sort()).toEqual(['queues_cluster-queue', 'queues_cpu-flavor', 'queues_gpu-flavor-train', 'queues_local-queue']);
  });
});
