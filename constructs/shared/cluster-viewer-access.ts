/**
 * Read access to the shared cluster for the pipeline's planner, so a plan refreshes the
 * in-cluster objects without write access: EKS's view policy cluster-wide (no Secrets),
 * and its admin-view policy only in the namespaces of Helm releases, whose release records
 * the helm provider must read (they are Secrets).
 */
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { Construct } from 'constructs';

export const CLUSTER_VIEW_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
export const CLUSTER_ADMIN_VIEW_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy';

export interface ClusterViewerAccessProps {
  readonly clusterName: string;
  readonly principalArn: string;
  /** Namespaces of Helm releases, where Secrets (release records) are readable too. @default none */
  readonly releaseNamespaces?: readonly string[];
}

export class ClusterViewerAccess extends Construct {
  constructor(scope: Construct, id: string, props: ClusterViewerAccessProps) {
    super(scope, id);
    const entry = new EksAccessEntry(this, 'entry', { clusterName: props.clusterName, principalArn: props.principalArn, type: 'STANDARD' });
    new EksAccessPolicyAssociation(this, 'view', {
      clusterName: props.clusterName,
      principalArn: props.principalArn,
      policyArn: CLUSTER_VIEW_POLICY_ARN,
      accessScope: { type: 'cluster' },
      dependsOn: [entry],
    });
    const namespaces = [...new Set(props.releaseNamespaces ?? [])].sort();
    if (namespaces.length === 0) return;
    new EksAccessPolicyAssociation(this, 'release-records', {
      clusterName: props.clusterName,
      principalArn: props.principalArn,
      policyArn: CLUSTER_ADMIN_VIEW_POLICY_ARN,
      accessScope: { type: 'namespace', namespaces },
      dependsOn: [entry],
    });
  }
}
