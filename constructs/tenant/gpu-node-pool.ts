import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { GpuPool } from '../../config/model';
import { GPU_TAINT_KEY, TENANT_LABEL } from '../../config/names';
import { AMI_TYPE, ManagedNodeGroup } from '../cluster/managed-node-group';
import { GPU_NODE_LABEL } from '../cluster/pod-security';

export const POOL_LABEL = 'ml-platform/pool';

export interface GpuNodePoolProps {
  readonly tenantName: string;
  readonly pool: GpuPool;
  readonly clusterName: string;
  readonly nodeGroupName: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: string[];
  /** GPUs per node, for the autoscaler's scale-from-zero template. */
  readonly gpusPerNode: number;
  readonly tags: Record<string, string>;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One tenant GPU pool as an EKS managed node group on the NVIDIA AL2023 AMI. Nodes carry
 * the `tenant=<name>` label and the `tenant=<name>:NoSchedule` and `nvidia.com/gpu`
 * taints, so only the tenant's GPU pods land there.
 */
export class GpuNodePool extends Construct {
  readonly nodeGroupName: string;

  constructor(scope: Construct, id: string, props: GpuNodePoolProps) {
    super(scope, id);
    const group = new ManagedNodeGroup(this, 'nodes', {
      clusterName: props.clusterName,
      nodeGroupName: props.nodeGroupName,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      instanceTypes: props.pool.instanceTypes,
      capacity: props.pool.capacity,
      minNodes: props.pool.minNodes,
      maxNodes: props.pool.maxNodes,
      amiType: AMI_TYPE.nvidia,
      diskGi: props.pool.diskGi,
      labels: { [TENANT_LABEL]: props.tenantName, [GPU_NODE_LABEL.key]: GPU_NODE_LABEL.value, [POOL_LABEL]: props.pool.name },
      taints: [
        { key: TENANT_LABEL, value: props.tenantName },
        { key: GPU_TAINT_KEY, value: 'true' },
      ],
      extendedResources: { [GPU_TAINT_KEY]: props.gpusPerNode },
      tags: props.tags,
      dependsOn: props.dependsOn,
    });
    this.nodeGroupName = group.nodeGroupName;
  }
}
