/**
 * The GPU cost ceiling of a tenant file, priced exactly as the plan review prices the
 * synthesized node groups: the review's `poolCeiling` is reused so that what an author
 * sees before a pull request is what the review will say about it.
 */
import type { GpuPool } from '../../config/model';
import { poolCeiling, type PoolCeiling, type Prices } from '../../config/cost';

export interface GpuCostCeiling {
  /** Every pool at its maximum size all month, at the highest on-demand price of its types. */
  readonly monthlyUsd: number;
  readonly perPool: readonly PoolCeiling[];
}

export function gpuCostCeiling(pools: readonly GpuPool[], prices: Prices): GpuCostCeiling {
  const perPool = pools.map((pool) => poolCeiling(pool, prices));
  return { monthlyUsd: perPool.reduce((sum, p) => sum + p.monthlyUsd, 0), perPool };
}
