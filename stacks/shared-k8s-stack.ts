/**
 * `shared-k8s`: cluster-wide objects inside the shared cluster. A stack of its own because
 * the kubernetes provider must not be configured from a cluster created in the same apply;
 * it reads the cluster from `shared` through cross-stack references.
 */
import type { Construct } from 'constructs';
import type { Platform } from '../config/model';
import { STACK } from '../config/names';
import { NvidiaDevicePlugin } from '../constructs/cluster/nvidia-device-plugin';
import { TenantAdmission } from '../constructs/cluster/tenant-admission';
import { TenantEditRole } from '../constructs/cluster/tenant-edit-role';
import { WorkloadPriorityClasses } from '../constructs/cluster/workload-priority-classes';
import type { SharedCluster } from '../constructs/shared/shared-cluster';
import { PlatformStack } from './platform-stack';
import { kubernetesProvider } from './providers';

export interface SharedK8sStackProps {
  readonly platform: Platform;
  readonly cluster: SharedCluster;
}

export class SharedK8sStack extends PlatformStack {
  constructor(scope: Construct, props: SharedK8sStackProps) {
    super(scope, STACK.sharedK8s, props.platform);
    kubernetesProvider(this, 'kubernetes', props.cluster, props.platform.region, props.platform.deployRoles.platform);
    new NvidiaDevicePlugin(this, 'nvidia-device-plugin');
    new WorkloadPriorityClasses(this, 'priority-classes');
    new TenantAdmission(this, 'tenant-admission');
    new TenantEditRole(this, 'tenant-edit-role');
  }
}
