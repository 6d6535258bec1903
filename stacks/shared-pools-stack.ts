/**
 * `shared-pools`: the platform's own Karpenter pools in the shared cluster: the general CPU
 * pool tenant CPU pods run on, and the optional shared GPU pool with its Kueue flavor. A
 * stack of its own, applied after `shared-k8s`: a `kubernetes_manifest` needs its kind's CRD
 * in the cluster when it is planned, and `shared-k8s` installs Karpenter's and Kueue's CRDs
 * in the same apply that would otherwise plan these.
 */
import type { Construct } from 'constructs';
import type { Platform } from '../config/model';
import { karpenterNames, SHARED_GPU_POOL, STACK, tenantNames } from '../config/names';
import { GeneralNodePool } from '../constructs/cluster/general-node-pool';
import { SharedGpuPool } from '../constructs/cluster/shared-gpu-pool';
import { platformTags } from '../constructs/common/tags';
import { GENERAL_NODE_LABEL, type SharedCluster } from '../constructs/shared/shared-cluster';
import { PlatformStack } from './platform-stack';
import { kubernetesProvider, platformAccountRoles } from './providers';

export interface SharedPoolsStackProps {
  readonly platform: Platform;
  readonly cluster: SharedCluster;
}

export class SharedPoolsStack extends PlatformStack {
  readonly generalPool: GeneralNodePool;

  constructor(scope: Construct, props: SharedPoolsStackProps) {
    super(scope, STACK.sharedPools, props.platform);
    const { platform } = props;
    kubernetesProvider(this, 'kubernetes', props.cluster, platform.region, platformAccountRoles(platform));
    const karpenter = karpenterNames(platform.name);
    this.generalPool = new GeneralNodePool(this, 'general-pool', {
      name: karpenter.generalPool,
      settings: platform.cluster.generalNodes,
      nodeLabel: { key: GENERAL_NODE_LABEL.key, value: GENERAL_NODE_LABEL.general },
      nodeRoleName: karpenter.generalNodeRole,
      clusterName: platform.cluster.name,
      amiAlias: platform.karpenter.amiAlias,
      tags: platformTags(platform.name, platform.tags),
    });
    const shared = platform.kueue.sharedGpuPool;
    if (shared) {
      new SharedGpuPool(this, 'shared-gpu-pool', {
        settings: shared,
        name: SHARED_GPU_POOL.name,
        poolLabel: SHARED_GPU_POOL.pool,
        flavorName: SHARED_GPU_POOL.flavor,
        // Named like a tenant's node role (reserved tenant name), so the Karpenter controller may pass it.
        nodeRoleName: tenantNames(platform.name, platform.platformAccountId, SHARED_GPU_POOL.pool).nodeRole,
        clusterName: platform.cluster.name,
        amiAlias: platform.karpenter.amiAlias,
        instanceSizes: platform.gpuInstanceTypes,
        tags: platformTags(platform.name, platform.tags),
      });
    }
  }
}
