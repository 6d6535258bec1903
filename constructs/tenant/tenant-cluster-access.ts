import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { Construct } from 'constructs';

export interface TenantClusterAccessProps {
  readonly clusterName: string;
  /** The tenant's people role, in the tenant account. */
  readonly principalArn: string;
  /** The Kubernetes group the role maps to; only the tenant namespace's RoleBinding names it. */
  readonly kubernetesGroup: string;
}

/**
 * Maps the tenant's people role to its Kubernetes group in the shared cluster. No AWS-managed
 * access policy is associated: what the group may do is the RoleBinding and ClusterRole in
 * the synthesized output (TenantNamespace, TenantEditRole), reviewable and proved.
 */
export class TenantClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: TenantClusterAccessProps) {
    super(scope, id);
    new EksAccessEntry(this, 'access-entry', {
      clusterName: props.clusterName,
      principalArn: props.principalArn,
      type: 'STANDARD',
      kubernetesGroups: [props.kubernetesGroup],
    });
  }
}
