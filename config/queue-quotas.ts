/**
 * The nominal quotas of a tenant's Kueue ClusterQueue, derived in one place from the tenant
 * file: CPU and memory are the namespace quota (`quota.cpu`, `quota.memoryGi`) on one flavor
 * that covers every node the tenant's pods may run on; the GPU quota (`quota.gpus`) is split
 * over the tenant's pools in the order of the file, each pool taking at most what its
 * `maxNodes` of its largest type hold. The sum never exceeds the namespace quota, so a job
 * Kueue admits is never rejected by the ResourceQuota after it leaves the queue.
 */
import type { GpuInstanceType, Tenant } from './model';

export interface PoolGpuQuota {
  readonly pool: string;
  readonly gpus: number;
  /** GPUs the pool's nodes hold at most (maxNodes times the largest type). */
  readonly capacity: number;
}

export interface QueueQuotas {
  readonly cpu: number;
  readonly memoryGi: number;
  /** One entry per pool, in file order; empty for a tenant without GPU pools. */
  readonly gpusByPool: readonly PoolGpuQuota[];
  /** Quota the pools cannot hold (quota.gpus beyond their capacity): no GPU job can use it. */
  readonly unplacedGpus: number;
}

export function queueQuotas(tenant: Pick<Tenant, 'quota' | 'gpuPools'>, sizes: Readonly<Record<string, GpuInstanceType>>): QueueQuotas {
  let remaining = tenant.quota.gpus;
  const gpusByPool = tenant.gpuPools.map((pool) => {
    const capacity = pool.maxNodes * Math.max(0, ...pool.instanceTypes.map((type) => sizes[type]?.gpus ?? 0));
    const gpus = Math.min(capacity, remaining);
    remaining -= gpus;
    return { pool: pool.name, gpus, capacity };
  });
  return { cpu: tenant.quota.cpu, memoryGi: tenant.quota.memoryGi, gpusByPool, unplacedGpus: remaining };
}

/** GPUs the platform's shared pool holds at most: maxNodes times its largest type; 0 without a pool. */
export function sharedPoolGpus(
  pool: { instanceTypes: readonly string[]; maxNodes: number } | undefined,
  sizes: Readonly<Record<string, GpuInstanceType>>,
): number {
  if (!pool) return 0;
  return pool.maxNodes * Math.max(0, ...pool.instanceTypes.map((type) => sizes[type]?.gpus ?? 0));
}
