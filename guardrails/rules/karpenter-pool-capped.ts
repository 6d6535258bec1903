import { GPU_TAINT_KEY } from '../../config/names';
import { asRecord, type Block, type StackView, type Verdict } from '../rule';
import { nodePoolManifest } from './karpenter-pool-isolation';

/** A Kubernetes quantity as a number, for the plain integers the platform writes; NaN otherwise. */
function wholeQuantity(value: unknown): number {
  return typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/** A platform pool is capped by a positive GPU limit (the shared GPU pool) or by positive CPU and memory limits (the general pool). */
function platformPoolCapped(limits: Readonly<Record<string, unknown>> | undefined): Verdict {
  if (wholeQuantity(limits?.[GPU_TAINT_KEY]) > 0) return [];
  const cpu = wholeQuantity(limits?.cpu);
  const memory = typeof limits?.memory === 'string' && /^[1-9]\d*Gi$/.test(limits.memory);
  return cpu > 0 && memory
    ? []
    : [
        {
          problem: `the NodePool has no positive ${GPU_TAINT_KEY} limit, nor positive cpu and memory limits, so Karpenter can launch nodes without end`,
          fix: "set spec.limits.cpu and spec.limits.memory (e.g. '320' and '1280Gi'; GeneralNodePool sets them from platform.yaml), or a GPU limit for a GPU pool (SharedGpuPool does)",
        },
      ];
}

/**
 * Every NodePool is capped. In a tenant stack, a dynamic pool by a positive `nvidia.com/gpu`
 * limit (without one, Karpenter launches GPU nodes without end) and a static pool by a node
 * limit no higher than its replicas; in a platform stack, by CPU and memory limits.
 */
export function karpenterPoolCapped(block: Block, stack: StackView): Verdict {
  const manifest = nodePoolManifest(block);
  if (manifest === undefined) return undefined;
  const spec = asRecord(manifest.spec);
  const limits = asRecord(spec?.limits);
  if (stack.tenant === undefined) return platformPoolCapped(limits);
  if (spec?.replicas !== undefined) {
    const replicas = wholeQuantity(spec.replicas);
    const nodes = wholeQuantity(limits?.nodes);
    return nodes >= 0 && nodes <= replicas
      ? []
      : [
          {
            problem: `the static NodePool has no node limit at most its replicas (${String(spec.replicas)}), so it can grow past the tenant's warm nodes`,
            fix: `set spec.limits.nodes to '${String(spec.replicas)}' (KarpenterGpuPool does)`,
          },
        ];
  }
  const gpus = wholeQuantity(limits?.[GPU_TAINT_KEY]);
  return gpus > 0
    ? []
    : [
        {
          problem: `the NodePool has no positive ${GPU_TAINT_KEY} limit, so Karpenter can launch GPU nodes without end`,
          fix: `set spec.limits['${GPU_TAINT_KEY}'] to maxNodes times the GPUs of the largest type (KarpenterGpuPool does)`,
        },
      ];
}
