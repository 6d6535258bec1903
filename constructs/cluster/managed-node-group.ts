import { AutoscalingGroupTagA as AutoscalingGroupTag } from '@cdktf/provider-aws/lib/autoscaling-group-tag';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Fn, Token, type ITerraformDependable } from 'cdktf';
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
  /** @default 50 */
  readonly diskGi?: number;
  /** @default none */
  readonly labels?: Record<string, string>;
  /** Every taint is NoSchedule. @default none */
  readonly taints?: readonly NodeTaint[];
  /** Extended resources a node offers, e.g. `{ 'nvidia.com/gpu': 4 }`, for the autoscaler's node template. @default none */
  readonly extendedResources?: Record<string, number>;
  /** @default none */
  readonly tags?: Record<string, string>;
  /** What must exist first, e.g. the node role's policy attachments. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export const AUTOSCALER_TAG = {
  enabled: 'k8s.io/cluster-autoscaler/enabled',
  cluster: (cluster: string) => `k8s.io/cluster-autoscaler/${cluster}`,
  label: (key: string) => `k8s.io/cluster-autoscaler/node-template/label/${key}`,
  taint: (key: string) => `k8s.io/cluster-autoscaler/node-template/taint/${key}`,
  resource: (name: string) => `k8s.io/cluster-autoscaler/node-template/resources/${name}`,
} as const;

/**
 * An EKS managed node group. The cluster autoscaler owns the desired size, so Terraform
 * ignores it after creation. Labels, taints and extended resources are also written as the
 * autoscaler's node-template tags on the group's Auto Scaling group, so that a group at
 * zero nodes can still be chosen for a pending pod. Nodes require IMDSv2 with a hop limit of
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
    const templateTags: Record<string, string> = {
      [AUTOSCALER_TAG.enabled]: 'true',
      [AUTOSCALER_TAG.cluster(props.clusterName)]: 'owned',
    };
    for (const [key, value] of Object.entries(labels)) templateTags[AUTOSCALER_TAG.label(key)] = value;
    for (const taint of taints) templateTags[AUTOSCALER_TAG.taint(taint.key)] = `${taint.value ?? ''}:NoSchedule`;
    for (const [name, count] of Object.entries(props.extendedResources ?? {})) templateTags[AUTOSCALER_TAG.resource(name)] = String(count);

    const launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: `${props.nodeGroupName}-nodes`,
      description: `Nodes of ${props.nodeGroupName}: IMDSv2 only, unreachable from pods; encrypted root volume`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: props.diskGi ?? 50, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } }],
    });
    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: props.nodeGroupName,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      instanceTypes: [...props.instanceTypes],
      capacityType: CAPACITY_TYPE[props.capacity],
      amiType: props.amiType,
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      scalingConfig: { minSize: props.minNodes, maxSize: props.maxNodes, desiredSize: desired },
      updateConfig: { maxUnavailable: 1 },
      labels,
      taint: taints.map((t) => ({ key: t.key, value: t.value, effect: 'NO_SCHEDULE' })),
      tags: { ...props.tags, ...templateTags },
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: props.dependsOn,
    });
    this.nodeGroupName = this.nodeGroup.nodeGroupName;

    const autoscalingGroupName = Fn.lookupNested(this.nodeGroup.resources, ['0', 'autoscaling_groups', '0', 'name']);
    Object.entries(templateTags).forEach(([key, value], i) => {
      new AutoscalingGroupTag(this, `asg-tag-${i}`, {
        autoscalingGroupName,
        tag: { key, value, propagateAtLaunch: false },
      });
    });
  }
}
