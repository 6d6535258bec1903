import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ServiceRole } from '../common/service-role';

/**
 * The AWS managed policies EKS documents for worker nodes, without AmazonEKS_CNI_Policy:
 * the VPC CNI has a role of its own (constructs/cluster/vpc-cni.ts), so a node cannot
 * reassign the pod addresses of the platform account.
 */
export const NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly'] as const;

export interface NodeRoleProps {
  readonly roleName: string;
  /**
   * Cluster whose access entry of type EC2_LINUX lets the role's nodes join. Needed for nodes
   * Karpenter launches; managed node groups get theirs from EKS, and a second one would fail.
   * @default no access entry
   */
  readonly clusterName?: string;
}

/** The instance role of EKS worker nodes. */
export class NodeRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  /** Node groups and node classes wait for these (and the access entry), or nodes start without the permissions to join. */
  readonly policyAttachments: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    const role = new ServiceRole(this, 'role', {
      roleName: props.roleName,
      service: 'ec2.amazonaws.com',
      managedPolicies: NODE_MANAGED_POLICIES,
      description: 'EKS worker nodes',
    });
    this.roleArn = role.roleArn;
    this.roleName = role.roleName;
    this.policyAttachments = role.attachments;
    if (props.clusterName !== undefined) {
      const entry = new EksAccessEntry(this, 'access-entry', { clusterName: props.clusterName, principalArn: role.roleArn, type: 'EC2_LINUX' });
      this.policyAttachments = [...role.attachments, entry];
    }
  }
}
