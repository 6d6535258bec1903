import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { Construct } from 'constructs';
import type { NodeGroupSize } from '../../config/model';
import { SYSTEM_NODE_TAINT } from '../../config/names';
import type { ClusterAddonName } from '../../config/schema';
import { AMI_TYPE, ManagedNodeGroup } from '../cluster/managed-node-group';
import { NodeRole } from '../cluster/node-role';
import { VpcCniRole } from '../cluster/vpc-cni';
import { ServiceRole } from '../common/service-role';

export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
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
  /** Role of the general pool's nodes, which Karpenter launches: it gets an EC2_LINUX access entry. */
  readonly generalNodeRoleName: string;
  readonly namePrefix: string;
  /** Pinned version of every add-on. */
  readonly addonVersions: Readonly<Record<ClusterAddonName, string>>;
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
 * optional public allow-list, a system and a general CPU node group, and the core add-ons,
 * each pinned. System nodes carry the CriticalAddonsOnly taint, so only critical add-ons
 * (which tolerate it) run there and tenant CPU pods go to the general nodes.
 */
export class SharedCluster extends Construct {
  readonly cluster: EksCluster;
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  /** `https://oidc.eks.<region>.amazonaws.com/id/<id>`: tenant accounts trust it for IRSA. */
  readonly oidcIssuerUrl: string;
  readonly clusterArn: string;
  /** The security group EKS creates for the control plane and nodes. */
  readonly clusterSecurityGroupId: string;
  /** The EKS Pod Identity agent add-on: what hands Pod Identity credentials to pods. */
  readonly podIdentityAgent: EksAddon;

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
    this.clusterArn = this.cluster.arn;
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

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

    const versions = props.addonVersions;
    // Runs host-networked, so it starts before the CNI it hands credentials to.
    const podIdentityAgent = new EksAddon(this, 'addon-eks-pod-identity-agent', this.addonConfig('eks-pod-identity-agent', versions));
    this.podIdentityAgent = podIdentityAgent;
    const cniRole = new VpcCniRole(this, 'vpc-cni-role', { roleName: `${props.namePrefix}-vpc-cni` });
    const vpcCni = new EksAddon(this, 'addon-vpc-cni', {
      ...this.addonConfig('vpc-cni', versions),
      ...cniRole.addonArguments(),
      dependsOn: [podIdentityAgent, cniRole.attachment],
    });
    // The system nodes are the one managed node group: Karpenter and CoreDNS run there, so
    // they must exist before Karpenter can launch any other node.
    const nodeRole = new NodeRole(this, 'node-role', { roleName: `${props.namePrefix}-shared-nodes` });
    const systemNodes = new ManagedNodeGroup(this, 'system-nodes', {
      clusterName: this.cluster.name,
      nodeGroupName: `${props.namePrefix}-system`,
      nodeRoleArn: nodeRole.roleArn,
      subnetIds: props.subnetIds,
      instanceTypes: props.systemNodes.instanceTypes,
      capacity: 'on-demand',
      minNodes: props.systemNodes.minNodes,
      maxNodes: props.systemNodes.maxNodes,
      desiredNodes: props.systemNodes.desiredNodes,
      amiType: AMI_TYPE.cpu,
      // Pinned: an image upgrade rolls these nodes in a reviewed apply, not by hand. The nodes'
      // Kubernetes version is their image's, which may trail the control plane's during an upgrade.
      image: { version: props.systemNodes.amiReleaseVersion.split('.').slice(0, 2).join('.'), releaseVersion: props.systemNodes.amiReleaseVersion },
      labels: { [GENERAL_NODE_LABEL.key]: GENERAL_NODE_LABEL.system },
      taints: [{ key: SYSTEM_NODE_TAINT.key, value: SYSTEM_NODE_TAINT.value }],
      dependsOn: [...nodeRole.policyAttachments, vpcCni],
    });
    // The general pool's nodes (shared-pools stack) join with this role and its access entry.
    new NodeRole(this, 'general-node-role', { roleName: props.generalNodeRoleName, clusterName: this.cluster.name });
    new EksAddon(this, 'addon-kube-proxy', this.addonConfig('kube-proxy', versions));
    // CoreDNS pods need nodes to run on; without them the add-on stays degraded. It
    // tolerates CriticalAddonsOnly, so it runs on the system nodes.
    new EksAddon(this, 'addon-coredns', { ...this.addonConfig('coredns', versions), dependsOn: [systemNodes.nodeGroup] });
  }

  private addonConfig(addonName: ClusterAddonName, versions: Readonly<Record<ClusterAddonName, string>>) {
    return {
      clusterName: this.cluster.name,
      addonName,
      addonVersion: versions[addonName],
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
    };
  }
}
