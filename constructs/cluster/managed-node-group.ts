import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { CapacityType } from '../../config/model';

export const AMI_TYPE = {
  cpu: 'AL2023_x86_64_STANDARD',
  nvidia: 'AL2023_x86_64_NVIDIA',
} as const;

export const CAPACITY_TYPE: Record<CapacityType, string> = { spot: 'SPOT', 'on-demand': 'ON_DEMAND' };

export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
}

export interface ManagedNodeGroupProps {
  readonly clusterName: string;
  readonly nodeGroupName: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: string[];
  readonly instanceTypes: readonly string[];
  readonly capacity: CapacityType;
  /** 0 lets the group scale to zero. */
  readonly minNodes: number;
  readonly maxNodes: number;
  /** @default minNodes */
  readonly desiredNodes?: number;
  readonly amiType: (typeof AMI_TYPE)[keyof typeof AMI_TYPE];
  /**
   * Kubernetes version and EKS AMI release of the nodes, pinned so that an upgrade is a
   * reviewed change that rolls the nodes; `releaseVersion` must be of `version`.
   * @default the control plane's version and the latest release when the group is created
   */
  readonly image?: { readonly version: string; readonly releaseVersion: string };
  /** @default 50 */
  readonly diskGi?: number;
  /** @default none */
  readonly labels?: Record<string, string>;
  /** Every taint is NoSchedule. @default none */
  readonly taints?: readonly NodeTaint[];
  /** @default none */
  readonly tags?: Record<string, string>;
  /** What must exist first, e.g. the node role's policy attachments. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * An EKS managed node group, for the nodes that must run before Karpenter does (Karpenter
 * itself, CoreDNS). No autoscaler runs for it: Terraform sets its size from platform.yaml,
 * and changing `desiredNodes` there resizes it. Nodes require IMDSv2 with a hop limit of
 * one, so pods (one hop further) cannot read the node role's credentials.
 */
export class ManagedNodeGroup extends Construct {
  readonly nodeGroupName: string;
  readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const errors: string[] = [];
    if (props.minNodes < 0) errors.push(`minNodes must be at least 0, got ${props.minNodes}`);
    if (props.maxNodes < 1) errors.push(`maxNodes must be at least 1, got ${props.maxNodes}`);
    if (props.maxNodes < props.minNodes) errors.push(`maxNodes (${props.maxNodes}) must be at least minNodes (${props.minNodes})`);
    const desired = props.desiredNodes ?? props.minNodes;
    if (desired < props.minNodes || desired > props.maxNodes) errors.push(`desiredNodes (${desired}) must be between minNodes and maxNodes`);
    if (props.instanceTypes.length === 0) errors.push('instanceTypes must list at least one type');
    if (errors.length > 0) throw new Error(`node group ${props.nodeGroupName}: ${errors.join('; ')}`);

    const labels = props.labels ?? {};
    const taints = props.taints ?? [];

    const launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: `${props.nodeGroupName}-nodes`,
      description: `Nodes of ${props.nodeGroupName}: IMDSv2 only, unreachable from pods; encrypted root volume`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { volumeSize: props.diskGi ?? 50, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } },
      ],
    });
    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: props.nodeGroupName,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      instanceTypes: [...props.instanceTypes],
      capacityType: CAPACITY_TYPE[props.capacity],
      amiType: props.amiType,
      version: props.image?.version,
      releaseVersion: props.image?.releaseVersion,
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      scalingConfig: { minSize: props.minNodes, maxSize: props.maxNodes, desiredSize: desired },
      updateConfig: { maxUnavailable: 1 },
      labels,
      taint: taints.map((t) => ({ key: t.key, value: t.value, effect: 'NO_SCHEDULE' })),
      tags: props.tags,
      dependsOn: props.dependsOn,
    });
    this.nodeGroupName = this.nodeGroup.nodeGroupName;
  }
}
