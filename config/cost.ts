/**
 * The monthly GPU ceiling of a tenant: what its pools cost if they run at their maximum
 * size all month at on-demand prices. It is a ceiling, not a forecast: pools scale to
 * their minimum when idle, and spot capacity usually costs much less. The plan review
 * and tenant:new price pools here, so an author sees what the review will say.
 */
import type { GpuInstanceType } from './model';

/**
 * A GPU pool as pricing needs it: a tenant file's pool (`GpuPool`) and a pool read back
 * from a synthesized node group (the plan review's `PoolFacts`) both are one.
 */
export interface PricedPool {
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly capacity: 'spot' | 'on-demand';
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly diskGi?: number;
}

export const HOURS_PER_MONTH = 730;

export type Prices = Readonly<Record<string, GpuInstanceType>>;

export interface PoolCeiling {
  readonly pool: PricedPool;
  /** Highest on-demand hourly price among the pool's instance types (the ceiling). */
  readonly hourlyUsd: number;
  readonly monthlyUsd: number;
  /** Instance types without a price in platform.yaml; they count as 0. */
  readonly unpriced: readonly string[];
}

export interface TenantCeiling {
  readonly monthlyUsd: number;
  readonly pools: readonly PoolCeiling[];
  readonly spot: boolean;
  readonly unpriced: readonly string[];
}

export function poolCeiling(pool: PricedPool, prices: Prices): PoolCeiling {
  const priced = pool.instanceTypes.filter((type) => prices[type] !== undefined);
  const hourlyUsd = Math.max(0, ...priced.map((type) => prices[type].onDemandHourlyUsd));
  return {
    pool,
    hourlyUsd,
    monthlyUsd: pool.maxNodes * hourlyUsd * HOURS_PER_MONTH,
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
