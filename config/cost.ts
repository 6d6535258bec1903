/**
 * The monthly GPU ceiling of a tenant: what its pools can cost at most, read from the limits
 * Karpenter enforces, at on-demand prices all month. Warm nodes (a static pool) count at the
 * highest price of the pool's types; the dynamic pool counts as the most expensive mix of
 * its types whose GPUs fit its `nvidia.com/gpu` limit. The CPU and memory limits can only
 * lower that, so the ceiling stays an upper bound. It is a ceiling, not a forecast: the
 * dynamic pool scales to zero when idle, and spot capacity usually costs much less.
 */
import type { GpuInstanceType } from './model';

/**
 * A GPU pool as pricing needs it, read from its Karpenter NodePools (the plan review's
 * `PoolFacts`) or derived from a tenant file's pool through config/pool-limits.ts
 * (tenant:new, tenant:describe): both price the same limits.
 */
export interface PricedPool {
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly capacity: 'spot' | 'on-demand';
  /** Nodes the static NodePool keeps running (`replicas`); 0 without one. */
  readonly warmNodes: number;
  /** The dynamic NodePool's `nvidia.com/gpu` limit; 0 without one. */
  readonly gpuLimit: number;
  readonly diskGi?: number;
}

export const HOURS_PER_MONTH = 730;

export type Prices = Readonly<Record<string, GpuInstanceType>>;

export interface PoolCeiling {
  readonly pool: PricedPool;
  /** Highest hourly cost the pool's limits allow: warm nodes plus the dearest mix within the GPU limit. */
  readonly hourlyUsd: number;
  readonly monthlyUsd: number;
  /** The dearest mix of the dynamic pool, instance type -> nodes (warm nodes not included). */
  readonly mix: Readonly<Record<string, number>>;
  /** Highest on-demand price among the pool's types, which the warm nodes count at. */
  readonly warmHourlyUsd: number;
  /** Instance types without a price in platform.yaml; they count as 0. */
  readonly unpriced: readonly string[];
}

export interface TenantCeiling {
  readonly monthlyUsd: number;
  readonly pools: readonly PoolCeiling[];
  readonly spot: boolean;
  readonly unpriced: readonly string[];
}

/**
 * The dearest set of instances whose GPUs sum to at most `gpuLimit`: an unbounded knapsack,
 * exact and small (the limit is at most maxNodesPerPool times 8 or so GPUs).
 */
export function dearestMix(
  gpuLimit: number,
  types: readonly { name: string; gpus: number; hourlyUsd: number }[],
): { hourlyUsd: number; mix: Record<string, number> } {
  const limit = Math.max(0, Math.floor(gpuLimit));
  const best = new Array<number>(limit + 1).fill(0);
  const choice = new Array<number>(limit + 1).fill(-1);
  for (let g = 1; g <= limit; g++) {
    best[g] = best[g - 1];
    types.forEach((type, i) => {
      if (type.gpus >= 1 && type.gpus <= g && best[g - type.gpus] + type.hourlyUsd > best[g]) {
        best[g] = best[g - type.gpus] + type.hourlyUsd;
        choice[g] = i;
      }
    });
  }
  const mix: Record<string, number> = {};
  for (let g = limit; g > 0; ) {
    const i = choice[g];
    if (i < 0) g -= 1;
    else {
      mix[types[i].name] = (mix[types[i].name] ?? 0) + 1;
      g -= types[i].gpus;
    }
  }
  return { hourlyUsd: best[limit], mix };
}

export function poolCeiling(pool: PricedPool, prices: Prices): PoolCeiling {
  const priced = pool.instanceTypes.filter((type) => prices[type] !== undefined);
  const warmHourlyUsd = Math.max(0, ...priced.map((type) => prices[type].onDemandHourlyUsd));
  const dynamic = dearestMix(
    pool.gpuLimit,
    priced.map((name) => ({ name, gpus: prices[name].gpus, hourlyUsd: prices[name].onDemandHourlyUsd })),
  );
  const hourlyUsd = pool.warmNodes * warmHourlyUsd + dynamic.hourlyUsd;
  return {
    pool,
    hourlyUsd,
    monthlyUsd: hourlyUsd * HOURS_PER_MONTH,
    mix: dynamic.mix,
    warmHourlyUsd,
    unpriced: pool.instanceTypes.filter((type) => prices[type] === undefined),
  };
}

export function tenantCeiling(facts: { readonly pools: readonly PricedPool[] }, prices: Prices): TenantCeiling {
  const pools = facts.pools.map((pool) => poolCeiling(pool, prices));
  return {
    monthlyUsd: pools.reduce((sum, p) => sum + p.monthlyUsd, 0),
    pools,
    spot: facts.pools.some((p) => p.capacity === 'spot'),
    unpriced: [...new Set(pools.flatMap((p) => p.unpriced))],
  };
}

/** `$12,345` (whole dollars; the ceiling is an estimate). */
export function usd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}$${Math.round(Math.abs(amount)).toLocaleString('en-US')}`;
}

/** `+$1,234` / `-$1,234` / `$0`. */
export function signedUsd(amount: number): string {
  return Math.round(amount) === 0 ? '$0' : amount > 0 ? `+${usd(amount)}` : usd(amount);
}
