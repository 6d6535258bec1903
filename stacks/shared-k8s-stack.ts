/**
 * `shared-k8s`: cluster-wide objects inside the shared cluster. A stack of its own because
 * the kubernetes provider must not be configured from a cluster created in the same apply;
 * it reads the cluster from `shared` through cross-stack references. Karpenter and Kueue are
 * installed here, so the stacks whose objects need their CRDs (shared-pools and the tenant
 * stacks) are applied after this one.
 */
import type { Construct } from 'constructs';
import type { Platform } from '../config/model';
import { karpenterNames, KUEUE, STACK, volumeNames } from '../config/names';
import { KarpenterRelease } from '../constructs/cluster/karpenter-release';
import { EbsStorageClass } from '../constructs/cluster/ebs-storage-class';
import { KueueRelease } from '../constructs/cluster/kueue-release';
import { NvidiaDevicePlugin } from '../constructs/cluster/nvidia-device-plugin';
import { TenantAdmission } from '../constructs/cluster/tenant-admission';
import { TenantEditRole } from '../constructs/cluster/tenant-edit-role';
import { WorkloadPriorityClasses } from '../constructs/cluster/workload-priority-classes';
import { GENERAL_NODE_LABEL, type SharedCluster } from '../constructs/shared/shared-cluster';
import { platformTags } from '../constructs/common/tags';
import { PlatformStack } from './platform-stack';
import { helmProvider, kubernetesProvider, platformAccountRoles } from './providers';

export interface SharedK8sStackProps {
  readonly platform: Platform;
  readonly cluster: SharedCluster;
  /** The platform's volume key (shared stack): the default class's volumes are encrypted with it. */
  readonly volumeKeyArn: string;
}

export class SharedK8sStack extends PlatformStack {
  constructor(scope: Construct, props: SharedK8sStackProps) {
    super(scope, STACK.sharedK8s, props.platform);
    const { platform } = props;
    kubernetesProvider(this, 'kubernetes', props.cluster, platform.region, platformAccountRoles(platform));
    helmProvider(this, 'helm', props.cluster, platform.region, platformAccountRoles(platform));
    const karpenter = karpenterNames(platform.name);
    new KarpenterRelease(this, 'karpenter', {
      chartVersion: platform.karpenter.chartVersion,
      clusterName: platform.cluster.name,
      interruptionQueueName: karpenter.interruptionQueue,
      namespace: karpenter.namespace,
      serviceAccount: karpenter.serviceAccount,
      releaseName: karpenter.release,
      systemNodeSelector: { [GENERAL_NODE_LABEL.key]: GENERAL_NODE_LABEL.system },
    });
    new KueueRelease(this, 'kueue', {
      chartVersion: platform.kueue.chartVersion,
      namespace: KUEUE.namespace,
      releaseName: KUEUE.release,
      systemNodeSelector: { [GENERAL_NODE_LABEL.key]: GENERAL_NODE_LABEL.system },
    });
    // The platform's own volumes; a tenant's claims must name the tenant's class (tenant-admission.ts), so none lands here.
    new EbsStorageClass(this, 'default-storage-class', {
      name: volumeNames(platform.name).defaultClass,
      kmsKeyArn: props.volumeKeyArn,
      isDefault: true,
      volumeTags: platformTags(platform.name, platform.tags),
    });
    new NvidiaDevicePlugin(this, 'nvidia-device-plugin', { version: platform.nvidiaDevicePlugin.version });
    new WorkloadPriorityClasses(this, 'priority-classes');
    new TenantAdmission(this, 'tenant-admission');
    new TenantEditRole(this, 'tenant-edit-role');
  }
}
