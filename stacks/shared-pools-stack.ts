/**
 * `shared-pools`: the platform's own Karpenter pools in the shared cluster (the general CPU
 * pool tenant CPU pods run on). A stack of its own, applied after `shared-k8s`: a
 * `kubernetes_manifest` needs its kind's CRD in the cluster when it is planned, and
 * `shared-k8s` installs Karpenter's CRDs in the same apply that would otherwise plan these.
 */
import type { Construct } from 'constructs';
import type { Platform } from '../config/model';
import { karpenterNames, STACK } from '../config/names';
import { GeneralNodePool } from '../constructs/cluster/general-node-pool';
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
  }
}
