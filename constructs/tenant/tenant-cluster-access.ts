import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { Construct } from 'constructs';

export const NAMESPACED_EDIT_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy';

export interface TenantClusterAccessProps {
  readonly clusterName: string;
  /** The tenant's people role, in the tenant account. */
  readonly principalArn: string;
  readonly namespace: string;
}

/** Lets the tenant's people edit their own namespace in the shared cluster, and nothing cluster-wide. */
export class TenantClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: TenantClusterAccessProps) {
    super(scope, id);
    const entry = new EksAccessEntry(this, 'access-entry', { clusterName: props.clusterName, principalArn: props.principalArn, type: 'STANDARD' });
    new EksAccessPolicyAssociation(this, 'namespaced-edit', {
      clusterName: props.clusterName,
      principalArn: props.principalArn,
      policyArn: NAMESPACED_EDIT_POLICY_ARN,
      accessScope: { type: 'namespace', namespaces: [props.namespace] },
      dependsOn: [entry],
    });
  }
}
