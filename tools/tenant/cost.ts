/**
 * The GPU cost ceiling of a tenant file, priced exactly as the plan review prices the
 * synthesized Karpenter pools: the pool's limits come from config/pool-limits.ts (as the
 * synthesized ones do) and the review's `poolCeiling` prices them, so that what an author
 * sees before a pull request is what the review will say about it.
 */
import type { GpuPool } from '../../config/model';
import { poolLimits } from '../../config/pool-limits';
import { poolCeiling, type PoolCeiling, type PricedPool, type Prices } from '../../config/cost';

export interface GpuCostCeiling {
  /** Every pool at its limits all month, at on-demand prices. */
  readonly monthlyUsd: number;
  readonly perPool: readonly PoolCeiling[];
}

/** What the plan review will read back from the pool's synthesized NodePools. */
export function poolFacts(pool: GpuPool, prices: Prices): PricedPool {
  const limits = poolLimits(pool, prices);
  return {
    name: pool.name,
    instanceTypes: pool.instanceTypes,
    capacity: pool.capacity,
    warmNodes: limits.warmNodes,
    gpuLimit: limits.gpus,
    diskGi: pool.diskGi,
  };
}

export function gpuCostCeiling(pools: readonly GpuPool[], prices: Prices): GpuCostCeiling {
  const perPool = pools.map((pool) => poolCeiling(poolFacts(pool, prices), prices));
  return { monthlyUsd: perPool.reduce((sum, p) => sum + p.monthlyUsd, 0), perPool };
}
