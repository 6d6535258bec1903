import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { Construct } from 'constructs';
import type { NodeGroupSize } from '../../config/model';
import { AMI_TYPE, ManagedNodeGroup } from '../cluster/managed-node-group';
import { NodeRole } from '../cluster/node-role';
import { ServiceRole } from '../common/service-role';

export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
export const CLUSTER_ADDONS = ['vpc-cni', 'kube-proxy', 'coredns'] as const;
export const CLUSTER_ADMIN_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** Node label of the shared general-purpose CPU nodes, where tenants' CPU pods run. */
export const GENERAL_NODE_LABEL = { key: 'ml-platform/node-pool', system: 'system', general: 'general' } as const;

export interface SharedClusterProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly subnetIds: string[];
  /** CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private only. */
  readonly publicAccessCidrs: readonly string[];
  /** Key that envelope-encrypts Kubernetes secrets. */
  readonly secretsKeyArn: string;
  readonly logKeyArn: string;
  readonly logRetentionDays: number;
  /** Roles granted cluster admin through access entries (the deploy role among them). */
  readonly adminRoleArns: readonly string[];
  readonly systemNodes: NodeGroupSize;
  readonly generalNodes: NodeGroupSize;
  readonly namePrefix: string;
}

/**
 * The construct id of an admin role's access entry: `admin-<account>-<role name>` (the
 * role's path left out), or the ARN with its separators replaced when it is not a role ARN.
 */
export function adminConstructId(principalArn: string): string {
  const role = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  return role ? `admin-${role[1]}-${role[2]}` : `admin-${principalArn.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/**
 * The shared EKS cluster: API authentication mode (access entries, no aws-auth ConfigMap),
 * KMS envelope encryption of secrets, all control-plane logs, a private endpoint with an
 * optional public allow-list, a system and a general CPU node group, and the core add-ons.
 */
export class SharedCluster extends Construct {
  readonly cluster: EksCluster;
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  /** `https://oidc.eks.<region>.amazonaws.com/id/<id>`: tenant accounts trust it for IRSA. */
  readonly oidcIssuerUrl: string;
  readonly subnetIds: string[];

  constructor(scope: Construct, id: string, props: SharedClusterProps) {
    super(scope, id);
    const clusterRole = new ServiceRole(this, 'cluster-role', {
      roleName: `${props.namePrefix}-eks-cluster`,
      service: 'eks.amazonaws.com',
      managedPolicies: ['AmazonEKSClusterPolicy'],
      description: 'EKS control plane of the shared cluster',
    });
    // EKS writes here; creating it first sets retention and encryption before the first log.
    const logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKeyArn,
    });
    const publicAccess = props.publicAccessCidrs.length > 0;
    this.cluster = new EksCluster(this, 'cluster', {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: clusterRole.roleArn,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { provider: { keyArn: props.secretsKeyArn }, resources: ['secrets'] },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        publicAccessCidrs: publicAccess ? [...props.publicAccessCidrs] : undefined,
      },
      dependsOn: [logGroup, ...clusterRole.attachments],
    });
    this.clusterName = this.cluster.name;
    this.endpoint = this.cluster.endpoint;
    this.certificateAuthorityData = this.cluster.certificateAuthority.get(0).data;
    this.oidcIssuerUrl = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.subnetIds = props.subnetIds;

    const repeated = props.adminRoleArns.filter((arn, i) => props.adminRoleArns.indexOf(arn) < i);
    if (repeated.length > 0) throw new Error(`SharedCluster: adminRoleArns must be unique; repeated: ${repeated.join(', ')}`);
    for (const principalArn of props.adminRoleArns) {
      // Keyed by the role, not its position: removing one admin role leaves the others' entries in place.
      const id = adminConstructId(principalArn);
      const entry = new EksAccessEntry(this, id, { clusterName: this.cluster.name, principalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `${id}-policy`, {
        clusterName: this.cluster.name,
        principalArn,
        policyArn: CLUSTER_ADMIN_POLICY_ARN,
        accessScope: { type: 'cluster' },
        dependsOn: [entry],
      });
    }

    const vpcCni = new EksAddon(this, 'addon-vpc-cni', this.addonConfig('vpc-cni'));
    const nodeRole = new NodeRole(this, 'node-role', { roleName: `${props.namePrefix}-shared-nodes` });
    const nodeGroups = (['system', 'general'] as const).map((pool) => {
      const size = pool === 'system' ? props.systemNodes : props.generalNodes;
      return new ManagedNodeGroup(this, `${pool}-nodes`, {
        clusterName: this.cluster.name,
        nodeGroupName: `${props.namePrefix}-${pool}`,
        nodeRoleArn: nodeRole.roleArn,
        subnetIds: props.subnetIds,
        instanceTypes: size.instanceTypes,
        capacity: 'on-demand',
        minNodes: size.minNodes,
        maxNodes: size.maxNodes,
        desiredNodes: size.desiredNodes,
        amiType: AMI_TYPE.cpu,
        labels: { [GENERAL_NODE_LABEL.key]: GENERAL_NODE_LABEL[pool] },
        dependsOn: [...nodeRole.policyAttachments, vpcCni],
      });
    });
    new EksAddon(this, 'addon-kube-proxy', this.addonConfig('kube-proxy'));
    // CoreDNS pods need nodes to run on; without them the add-on stays degraded.
    new EksAddon(this, 'addon-coredns', { ...this.addonConfig('coredns'), dependsOn: nodeGroups.map((g) => g.nodeGroup) });
  }

  private addonConfig(addonName: (typeof CLUSTER_ADDONS)[number]) {
    return {
      clusterName: this.cluster.name,
      addonName,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
    };
  }
}
