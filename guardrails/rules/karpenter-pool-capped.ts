import { GPU_TAINT_KEY } from '../../config/names';
import { asRecord, type Block, type StackView, type Verdict } from '../rule';
import { nodePoolManifest } from './karpenter-pool-isolation';

/** A Kubernetes quantity as a number, for the plain integers the platform writes; NaN otherwise. */
function wholeQuantity(value: unknown): number {
  return typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/**
 * Every NodePool in a tenant stack is capped: a dynamic pool by a positive `nvidia.com/gpu`
 * limit (without one, Karpenter launches GPU nodes without end), a static pool by a node
 * limit no higher than its replicas.
 */
export function karpenterPoolCapped(block: Block, stack: StackView): Verdict {
  const manifest = stack.tenant === undefined ? undefined : nodePoolManifest(block);
  if (manifest === undefined) return undefined;
  const spec = asRecord(manifest.spec);
  const limits = asRecord(spec?.limits);
  if (spec?.replicas !== undefined) {
    const replicas = wholeQuantity(spec.replicas);
    const nodes = wholeQuantity(limits?.nodes);
    return nodes >= 0 && nodes <= replicas
      ? []
      : [{ problem: `the static NodePool has no node limit at most its replicas (${String(spec.replicas)}), so it can grow past the tenant's warm nodes`, fix: `set spec.limits.nodes to '${String(spec.replicas)}' (KarpenterGpuPool does)` }];
  }
  const gpus = wholeQuantity(limits?.[GPU_TAINT_KEY]);
  return gpus > 0
    ? []
    : [{ problem: `the NodePool has no positive ${GPU_TAINT_KEY} limit, so Karpenter can launch GPU nodes without end`, fix: `set spec.limits['${GPU_TAINT_KEY}'] to maxNodes times the GPUs of the largest type (KarpenterGpuPool does)` }];
}
