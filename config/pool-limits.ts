/**
 * The hard ceiling of a tenant GPU pool, derived in one place from the tenant file and the
 * platform's instance sizes. The Karpenter pools enforce it (`limits`, `replicas`), the
 * plan review prices it, `tenant:describe` shows it.
 *
 * `minNodes` warm nodes run in a static pool; the rest, up to `maxNodes`, in a dynamic pool
 * whose limits are that many nodes of the largest allowed type, per resource.
 */
import type { GpuInstanceType, GpuPool } from './model';

export interface PoolLimits {
  /** Nodes of the static (warm) pool; 0 means no warm pool. */
  readonly warmNodes: number;
  /** Nodes the dynamic pool may add on top; 0 means no dynamic pool. */
  readonly dynamicNodes: number;
  /** Limits of the dynamic pool: dynamicNodes times the largest allowed type, per resource. */
  readonly gpus: number;
  readonly cpu: number;
  readonly memoryGi: number;
}

type Sizes = Readonly<Record<string, GpuInstanceType>>;

/** Largest value of one size field among the pool's types; unknown types count as 0 (validation rejects them first). */
function largest(types: readonly string[], sizes: Sizes, field: 'gpus' | 'vcpus' | 'memoryGi'): number {
  return Math.max(0, ...types.map((type) => sizes[type]?.[field] ?? 0));
}

export function poolLimits(pool: Pick<GpuPool, 'instanceTypes' | 'minNodes' | 'maxNodes'>, sizes: Sizes): PoolLimits {
  const warmNodes = pool.minNodes;
  const dynamicNodes = Math.max(0, pool.maxNodes - pool.minNodes);
  return {
    warmNodes,
    dynamicNodes,
    gpus: dynamicNodes * largest(pool.instanceTypes, sizes, 'gpus'),
    cpu: dynamicNodes * largest(pool.instanceTypes, sizes, 'vcpus'),
    memoryGi: dynamicNodes * largest(pool.instanceTypes, sizes, 'memoryGi'),
  };
}
