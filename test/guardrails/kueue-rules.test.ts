import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import type { TerraformStack } from 'cdktf';
import { queueQuotas } from '../../config/queue-quotas';
import { tenantQueueManifests, type TenantQueueManifestProps } from '../../constructs/tenant/tenant-queue-manifests';
import { TenantQueues } from '../../constructs/tenant/tenant-queues';
import { checkTiny, errorsOf } from './support';

const SIZES = { 'g6.xlarge': { gpus: 1, vcpus: 4, memoryGi: 16, onDemandHourlyUsd: 0.8 } };
const POOLS = [{ name: 'train', instanceTypes: ['g6.xlarge'], capacity: 'spot' as const, minNodes: 0, maxNodes: 4, diskGi: 100 }];

/** A tenant namespace with its ResourceQuota, as TenantNamespace writes them. */
function namespace(stack: TerraformStack, tenant: string, hard = { 'requests.cpu': '8', 'requests.memory': '32Gi', 'requests.nvidia.com/gpu': '4' }): void {
  new NamespaceV1(stack, 'ns', { metadata: { name: tenant, labels: { tenant } } });
  new ResourceQuotaV1(stack, 'quota', { metadata: { name: 'tenant-quota', namespace: tenant }, spec: { hard } });
}

const props = (tenant: string): TenantQueueManifestProps => ({
  tenantName: tenant,
  namespace: tenant,
  clusterQueue: tenant,
  localQueue: 'default',
  cohort: 'ml-platform',
  cpuFlavor: tenant,
  gpuFlavors: { train: `${tenant}.train` },
  quotas: queueQuotas({ quota: { cpu: 8, memoryGi: 32, gpus: 4, pods: 10 }, gpuPools: POOLS }, SIZES),
});

const queues = (stack: TerraformStack, tenant: string) => new TenantQueues(stack, 'queues', props(tenant));

/** Queues as someone might write them by hand: TenantQueues' ClusterQueue with `change` applied, and its LocalQueue. */
function handWritten(stack: TerraformStack, tenant: string, change: (queue: Record<string, any>) => void): void {
  const manifests = tenantQueueManifests(props(tenant));
  const queue = JSON.parse(JSON.stringify(manifests.clusterQueue));
  change(queue);
  new Manifest(stack, 'hand-written-queue', { manifest: queue });
  new Manifest(stack, 'hand-written-local', { manifest: { ...manifests.localQueue } });
}

describe('MLP-Q-1 and MLP-Q-2 (tenant job queues)', () => {
  test("pass TenantQueues in its tenant stack, beside the tenant's namespace quota", () => {
    const checked = checkTiny(
      (stack) => {
        namespace(stack, 'a');
        queues(stack, 'a');
      },
      { tenant: 'a' },
    );
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-Q-1']).toBe(1);
    expect(checked.result.checked['MLP-Q-2']).toBe(1);
  });

  test('MLP-Q-1 fails a queue with quotas other than the namespace quota', () => {
    const checked = checkTiny(
      (stack) => {
        namespace(stack, 'a', { 'requests.cpu': '16', 'requests.memory': '32Gi', 'requests.nvidia.com/gpu': '2' });
        queues(stack, 'a');
      },
      { tenant: 'a' },
    );
    expect(errorsOf(checked, 'MLP-Q-1')).toEqual([
      expect.stringContaining("the queue's cpu quota (8) differs from the namespace quota (16)"),
      expect.stringContaining("the queue's GPU quotas add up to 4, more than the namespace quota (2)"),
    ]);
  });

  test("MLP-Q-1 fails a queue that lists another tenant's flavor, lends, or serves other namespaces", () => {
    const checked = checkTiny(
      (stack) => {
        namespace(stack, 'a');
        handWritten(stack, 'a', (queue) => {
          queue.spec.resourceGroups[1].flavors[0].name = 'b.train';
          delete queue.spec.resourceGroups[0].flavors[0].resources[0].lendingLimit;
          queue.spec.namespaceSelector = { matchExpressions: [{ key: 'tenant', operator: 'Exists' }] };
        });
      },
      { tenant: 'a' },
    );
    expect(errorsOf(checked, 'MLP-Q-1')).toEqual([
      expect.stringContaining('does not select exactly the namespaces labelled tenant=a'),
      expect.stringContaining('lends its cpu quota to the cohort'),
      expect.stringContaining("lists flavor 'b.train', which is not one of the tenant's"),
    ]);
  });

  test('MLP-Q-2 fails a tenant namespace without queues, and one with two', () => {
    expect(
      errorsOf(
        checkTiny((stack) => namespace(stack, 'a'), { tenant: 'a' }),
        'MLP-Q-2',
      ),
    ).toEqual([expect.stringContaining('namespace a comes with 0 ClusterQueues and 0 LocalQueues')]);
    const twice = checkTiny(
      (stack) => {
        namespace(stack, 'a');
        queues(stack, 'a');
        handWritten(stack, 'a', () => undefined);
      },
      { tenant: 'a' },
    );
    expect(errorsOf(twice, 'MLP-Q-2')).toEqual([expect.stringContaining('namespace a comes with 2 ClusterQueues and 2 LocalQueues')]);
  });

  test('neither rule applies outside tenant stacks', () => {
    const checked = checkTiny((stack) => queues(stack, 'a'));
    expect(checked.result.checked['MLP-Q-1'] ?? 0).toBe(0);
  });
});
