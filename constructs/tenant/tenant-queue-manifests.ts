/**
 * The Kueue objects of one tenant, as plain manifests (so tests check them against the
 * API's constraints and the admission policies without a synth):
 * - a ResourceFlavor `<tenant>` for its CPU and memory, without node labels: the pods'
 *   own placement decides where they run;
 * - a ResourceFlavor `<tenant>.<pool>` per GPU pool, whose node labels and tolerations are
 *   exactly the pool's (`tenant`, `ml-platform/pool`, the tenant and GPU taints): Kueue
 *   writes them into the pods it admits, so a queued GPU job lands on its own pool and
 *   passes the placement admission policy without the tenant writing any of it;
 * - the ClusterQueue `<tenant>`, open to the tenant's namespace only, with the quotas of
 *   config/queue-quotas.ts, in the platform cohort; every flavor is the tenant's own and
 *   lends nothing (lendingLimit 0), so no other queue can borrow it or preempt for it;
 * - the LocalQueue `default` in the tenant's namespace, where its jobs are submitted.
 */
import { GPU_TAINT_KEY, MANAGED_BY_LABEL, TENANT_LABEL } from '../../config/names';
import type { QueueQuotas } from '../../config/queue-quotas';
import type { ClusterQueue, FlavorQuotas, KueueToleration, LocalQueue, ResourceFlavor, ResourceGroup } from '../cluster/kueue-api';
import { KUEUE_API_VERSION } from '../cluster/kueue-api';
import { POOL_LABEL } from './gpu-pool-manifests';

/** Resources the CPU flavor covers; the GPU flavors cover the GPU resource alone. */
export const CPU_RESOURCES = ['cpu', 'memory'] as const;
export const GPU_RESOURCE = GPU_TAINT_KEY;
/** Tenant flavors lend nothing to the cohort: only the tenant's own jobs use its pools. */
export const NO_LENDING = '0';

export interface TenantQueueManifestProps {
  readonly tenantName: string;
  readonly namespace: string;
  readonly clusterQueue: string;
  readonly localQueue: string;
  readonly cohort: string;
  readonly cpuFlavor: string;
  /** Flavor name of each pool, by pool name. */
  readonly gpuFlavors: Readonly<Record<string, string>>;
  readonly quotas: QueueQuotas;
  /**
   * The platform's shared GPU flavor and this tenant's guaranteed share of it: listed last in
   * the GPU group and lent to the cohort, so idle shared GPUs are borrowed by whoever needs
   * them and reclaimed by preemption when a tenant wants its share back. @default no shared pool
   */
  readonly sharedGpuFlavor?: { readonly name: string; readonly gpus: number };
}

export interface TenantQueueManifests {
  readonly flavors: readonly ResourceFlavor[];
  readonly clusterQueue: ClusterQueue;
  readonly localQueue: LocalQueue;
}

const labels = (tenant: string) => ({ [TENANT_LABEL]: tenant, [MANAGED_BY_LABEL.key]: MANAGED_BY_LABEL.value });

/** What a pod on one of the tenant's GPU pools tolerates: the tenant taint and the GPU taint (the placement admission allows). */
export function gpuFlavorTolerations(tenant: string): KueueToleration[] {
  return [
    { key: TENANT_LABEL, operator: 'Equal', value: tenant, effect: 'NoSchedule' },
    { key: GPU_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' },
  ];
}

export function tenantQueueManifests(props: TenantQueueManifestProps): TenantQueueManifests {
  const cpuFlavor: ResourceFlavor = {
    apiVersion: KUEUE_API_VERSION,
    kind: 'ResourceFlavor',
    metadata: { name: props.cpuFlavor, labels: labels(props.tenantName) },
    spec: {},
  };
  const gpuFlavors: ResourceFlavor[] = props.quotas.gpusByPool.map(({ pool }) => ({
    apiVersion: KUEUE_API_VERSION,
    kind: 'ResourceFlavor',
    metadata: { name: props.gpuFlavors[pool], labels: labels(props.tenantName) },
    spec: { nodeLabels: { [TENANT_LABEL]: props.tenantName, [POOL_LABEL]: pool }, tolerations: gpuFlavorTolerations(props.tenantName) },
  }));
  const quota = (name: string, nominalQuota: string) => ({ name, nominalQuota, lendingLimit: NO_LENDING });
  const cpuGroup: ResourceGroup = {
    coveredResources: [...CPU_RESOURCES],
    flavors: [{ name: props.cpuFlavor, resources: [quota('cpu', String(props.quotas.cpu)), quota('memory', `${props.quotas.memoryGi}Gi`)] }],
  };
  const gpuFlavorQuotas: FlavorQuotas[] = props.quotas.gpusByPool.map(({ pool, gpus }) => ({
    name: props.gpuFlavors[pool],
    resources: [quota(GPU_RESOURCE, String(gpus))],
  }));
  const shared = props.sharedGpuFlavor;
  // The one flavor that is lent: no lendingLimit.
  if (shared) gpuFlavorQuotas.push({ name: shared.name, resources: [{ name: GPU_RESOURCE, nominalQuota: String(shared.gpus) }] });
  const resourceGroups = gpuFlavorQuotas.length > 0 ? [cpuGroup, { coveredResources: [GPU_RESOURCE], flavors: gpuFlavorQuotas }] : [cpuGroup];
  return {
    flavors: [cpuFlavor, ...gpuFlavors],
    clusterQueue: {
      apiVersion: KUEUE_API_VERSION,
      kind: 'ClusterQueue',
      metadata: { name: props.clusterQueue, labels: labels(props.tenantName) },
      spec: {
        cohort: props.cohort,
        namespaceSelector: { matchLabels: { [TENANT_LABEL]: props.tenantName } },
        // A large job waiting for quota does not hold back smaller ones that fit.
        queueingStrategy: 'BestEffortFIFO',
        resourceGroups,
        // Only the shared flavor is lent, so reclaiming (preempting jobs that borrow this queue's quota) can only hit jobs on the shared pool;
        // without it nothing is lent and nothing reclaimed. Within its own queue a tenant's higher-priority job may preempt its own lower-priority ones.
        preemption: { reclaimWithinCohort: shared ? 'Any' : 'Never', borrowWithinCohort: { policy: 'Never' }, withinClusterQueue: 'LowerPriority' },
      },
    },
    localQueue: {
      apiVersion: KUEUE_API_VERSION,
      kind: 'LocalQueue',
      metadata: { name: props.localQueue, namespace: props.namespace, labels: labels(props.tenantName) },
      spec: { clusterQueue: props.clusterQueue },
    },
  };
}
