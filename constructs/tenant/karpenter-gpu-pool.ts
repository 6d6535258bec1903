import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { gpuPoolManifests, type GpuPoolManifestProps, type GpuPoolManifests } from './gpu-pool-manifests';

/** The manifests' props (names from config/names.ts, limits from config/pool-limits.ts), and what the node class waits for. */
export interface KarpenterGpuPoolProps extends GpuPoolManifestProps {
  /** What nodes need before they can join: the node role's policies and access entry. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One tenant GPU pool as Karpenter objects in the shared cluster (`kubernetes_manifest`):
 * its EC2NodeClass, a dynamic NodePool that starts at zero and is capped by `limits`, and a
 * static NodePool for warm nodes when `minNodes` > 0. Nodes carry the `tenant=<name>` label
 * and taint and the `nvidia.com/gpu` taint, so only the tenant's GPU pods land there.
 */
export class KarpenterGpuPool extends Construct {
  readonly manifests: GpuPoolManifests;

  constructor(scope: Construct, id: string, props: KarpenterGpuPoolProps) {
    super(scope, id);
    const { pool, limits } = props;
    const errors: string[] = [];
    if (pool.instanceTypes.length === 0) errors.push('instanceTypes must list at least one type');
    if (pool.maxNodes < 1) errors.push(`maxNodes must be at least 1, got ${pool.maxNodes}`);
    if (pool.minNodes < 0 || pool.minNodes > pool.maxNodes) errors.push(`minNodes must be between 0 and maxNodes (${pool.maxNodes}), got ${pool.minNodes}`);
    if (limits.warmNodes + limits.dynamicNodes !== pool.maxNodes)
      errors.push(`the limits cover ${limits.warmNodes + limits.dynamicNodes} nodes, not maxNodes (${pool.maxNodes})`);
    if (limits.dynamicNodes > 0 && (limits.gpus < 1 || limits.cpu < 1 || limits.memoryGi < 1)) {
      errors.push(
        `the GPU, CPU and memory limits must be positive, got ${limits.gpus} GPUs, ${limits.cpu} CPUs, ${limits.memoryGi} GiB: give every instance type its size in platform.yaml gpuInstanceTypes`,
      );
    }
    if (errors.length > 0) throw new Error(`GPU pool ${props.name}: ${errors.join('; ')}`);

    this.manifests = gpuPoolManifests(props);
    const nodeClass = new Manifest(this, 'node-class', { manifest: this.manifests.nodeClass, dependsOn: props.dependsOn });
    if (this.manifests.dynamicPool) new Manifest(this, 'node-pool', { manifest: this.manifests.dynamicPool, dependsOn: [nodeClass] });
    if (this.manifests.warmPool) new Manifest(this, 'warm-node-pool', { manifest: this.manifests.warmPool, dependsOn: [nodeClass] });
  }
}
