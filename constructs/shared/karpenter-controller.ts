import type { ITerraformDependable } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Construct } from 'constructs';
import { KARPENTER_DISCOVERY_TAG } from '../../config/names';
import { policyDocument, renderPolicy, type PolicyStatement } from '../common/policy';
import { POD_IDENTITY_PRINCIPAL, POD_IDENTITY_TRUST_ACTIONS } from '../common/service-role';

/** Events Karpenter acts on before AWS takes a node away: it cordons and drains the node, and launches a replacement. */
export const INTERRUPTION_EVENTS = {
  'spot-interruption': { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
  rebalance: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
  'instance-state-change': { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
  'scheduled-change': { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
} as const;

export interface KarpenterControllerProps {
  /** The cluster's name as a reference, so the add-on and association wait for the cluster. */
  readonly clusterName: string;
  /**
   * The cluster name as written in platform.yaml, for what must be literal: the discovery tag
   * (as on the subnets and node classes) and the policy's tag condition keys.
   */
  readonly configuredClusterName: string;
  /** ARN of the cluster: the only one whose pods may assume the controller role. */
  readonly clusterArn: string;
  /** The security group EKS made for the cluster; nodes join it, found by the discovery tag. */
  readonly clusterSecurityGroupId: string;
  readonly region: string;
  readonly accountId: string;
  readonly names: {
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly controllerRole: string;
    readonly controllerPolicy: string;
    readonly interruptionQueue: string;
    readonly eventRulePrefix: string;
  };
  /** The cluster's Pod Identity agent add-on: the controller's credentials come through it. */
  readonly podIdentityAgent: ITerraformDependable;
  /** IAM role names (or name patterns) of the node roles the controller may pass to instances, e.g. `mlp-*-gpu-nodes`. */
  readonly nodeRoleNamePatterns: readonly string[];
}

/**
 * The AWS side of Karpenter in the platform account: the controller's role through EKS Pod
 * Identity (trusted only for this cluster's `karpenter/karpenter` service account, through
 * the cluster's Pod Identity agent add-on), the interruption queue with the EventBridge rules that feed it,
 * and the discovery tag on the cluster security group.
 */
export class KarpenterController extends Construct {
  readonly roleArn: string;
  readonly queueName: string;

  constructor(scope: Construct, id: string, props: KarpenterControllerProps) {
    super(scope, id);
    const { clusterName, accountId, names } = props;

    const queue = new SqsQueue(this, 'interruption-queue', {
      name: names.interruptionQueue,
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    this.queueName = queue.name;
    new SqsQueuePolicy(this, 'interruption-queue-policy', {
      queueUrl: queue.url,
      policy: renderPolicy(
        policyDocument(
          {
            Sid: 'EventBridgeSends',
            Effect: 'Allow',
            Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
            Action: 'sqs:SendMessage',
            Resource: queue.arn,
          },
          {
            Sid: 'DenyWithoutTls',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sqs:*',
            Resource: queue.arn,
            Condition: { Bool: { 'aws:SecureTransport': false } },
          },
        ),
      ),
    });
    for (const [event, pattern] of Object.entries(INTERRUPTION_EVENTS)) {
      const rule = new CloudwatchEventRule(this, `${event}-rule`, {
        name: `${names.eventRulePrefix}-${event}`,
        description: `Karpenter of ${clusterName}: ${pattern['detail-type'][0]}`,
        eventPattern: JSON.stringify(pattern),
      });
      new CloudwatchEventTarget(this, `${event}-target`, { rule: rule.name, arn: queue.arn, targetId: 'karpenter-interruption-queue' });
    }

    // Node classes select the cluster security group by this tag (the subnets carry it too).
    new Ec2Tag(this, 'security-group-discovery-tag', {
      resourceId: props.clusterSecurityGroupId,
      key: KARPENTER_DISCOVERY_TAG,
      value: props.configuredClusterName,
    });

    const role = new IamRole(this, 'role', {
      name: names.controllerRole,
      description: `Karpenter controller of ${clusterName} (EKS Pod Identity, ${names.namespace}/${names.serviceAccount})`,
      assumeRolePolicy: renderPolicy(
        policyDocument({
          Sid: 'ThisClusterPodIdentityOnly',
          Effect: 'Allow',
          Principal: { Service: POD_IDENTITY_PRINCIPAL },
          Action: [...POD_IDENTITY_TRUST_ACTIONS],
          // Pod Identity tags the session with the cluster, namespace and service account: only this cluster's controller matches.
          Condition: {
            StringEquals: {
              'aws:SourceAccount': accountId,
              'aws:RequestTag/eks-cluster-arn': props.clusterArn,
              'aws:RequestTag/kubernetes-namespace': names.namespace,
              'aws:RequestTag/kubernetes-service-account': names.serviceAccount,
            },
          },
        }),
      ),
      inlinePolicy: [{ name: names.controllerPolicy, policy: renderPolicy(policyDocument(...controllerStatements(props, queue.arn))) }],
    });
    this.roleArn = role.arn;
    new EksPodIdentityAssociation(this, 'pod-identity', {
      clusterName,
      namespace: names.namespace,
      serviceAccount: names.serviceAccount,
      roleArn: role.arn,
      dependsOn: [props.podIdentityAgent],
    });
  }
}

/**
 * What the controller may do, after Karpenter's reference policy: launch, tag and terminate
 * only instances and launch templates tagged as this cluster's, manage only the instance
 * profiles it created for this cluster, pass only the platform's node roles, read its queue.
 */
export function controllerStatements(props: KarpenterControllerProps, queueArn: string): PolicyStatement[] {
  const { region, accountId } = props;
  const clusterName = props.configuredClusterName;
  const ec2 = (type: string) => `arn:aws:ec2:${region}:*:${type}/*`;
  const ownedTag = `kubernetes.io/cluster/${clusterName}`;
  const launched = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map(ec2);
  const instanceProfiles = `arn:aws:iam::${accountId}:instance-profile/*`;
  return [
    {
      Sid: 'LaunchFromSharedResources',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [`arn:aws:ec2:${region}::image/*`, `arn:aws:ec2:${region}::snapshot/*`, ec2('security-group'), ec2('subnet'), ec2('capacity-reservation')],
    },
    {
      Sid: 'LaunchFromOwnLaunchTemplates',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: ec2('launch-template'),
      Condition: { StringEquals: { [`aws:ResourceTag/${ownedTag}`]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    {
      Sid: 'CreateOnlyClusterTagged',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Resource: launched,
      Condition: {
        StringEquals: { [`aws:RequestTag/${ownedTag}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': clusterName },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'TagOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: launched,
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${ownedTag}`]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': clusterName,
          'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
        },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'TagOwnInstances',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: ec2('instance'),
      Condition: {
        StringEquals: { [`aws:ResourceTag/${ownedTag}`]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    },
    {
      Sid: 'DeleteOwn',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Resource: [ec2('instance'), ec2('launch-template')],
      Condition: { StringEquals: { [`aws:ResourceTag/${ownedTag}`]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    {
      Sid: 'ReadEc2InRegion',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
      ],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    { Sid: 'ReadAmiParameters', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${region}::parameter/aws/service/*` },
    { Sid: 'ReadPrices', Effect: 'Allow', Action: 'pricing:GetProducts', Resource: '*' },
    { Sid: 'ReadInterruptionQueue', Effect: 'Allow', Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], Resource: queueArn },
    {
      Sid: 'PassOnlyNodeRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: props.nodeRoleNamePatterns.map((name) => `arn:aws:iam::${accountId}:role/${name}`),
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    },
    {
      Sid: 'CreateClusterInstanceProfiles',
      Effect: 'Allow',
      Action: ['iam:CreateInstanceProfile', 'iam:TagInstanceProfile'],
      Resource: instanceProfiles,
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${ownedTag}`]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': clusterName,
          'aws:RequestTag/topology.kubernetes.io/region': region,
        },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      Sid: 'ManageOwnInstanceProfiles',
      Effect: 'Allow',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:TagInstanceProfile'],
      Resource: instanceProfiles,
      Condition: {
        StringEquals: { [`aws:ResourceTag/${ownedTag}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    { Sid: 'ReadInstanceProfiles', Effect: 'Allow', Action: 'iam:GetInstanceProfile', Resource: instanceProfiles },
    // Listing takes no resource-level scope in IAM.
    { Sid: 'ListInstanceProfiles', Effect: 'Allow', Action: 'iam:ListInstanceProfiles', Resource: '*' },
    { Sid: 'FindApiEndpoint', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: props.clusterArn },
  ];
}
