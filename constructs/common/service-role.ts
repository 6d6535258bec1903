import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { policyDocument, renderPolicy } from './policy';

/** EKS Pod Identity's service principal, and what its trust must allow: it passes session tags (cluster, namespace, service account). */
export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';
export const POD_IDENTITY_TRUST_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'] as const;

export interface ServiceRoleProps {
  readonly roleName: string;
  /** Service principal that assumes the role, e.g. `eks.amazonaws.com`. */
  readonly service: string;
  /** AWS managed policies the service needs, by name (`AmazonEKSClusterPolicy`). @default none */
  readonly managedPolicies?: readonly string[];
  readonly description?: string;
  /** What the service may do in the trust policy; EKS Pod Identity also needs `sts:TagSession`. @default ['sts:AssumeRole'] */
  readonly trustActions?: readonly string[];
}

/** A role that only an AWS service can assume, with the AWS managed policies that service documents. */
export class ServiceRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  /** Attachments, for resources that must wait until the role can act. */
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: renderPolicy(
        policyDocument({ Effect: 'Allow', Principal: { Service: props.service }, Action: props.trustActions ? [...props.trustActions] : 'sts:AssumeRole' }),
      ),
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.attachments = (props.managedPolicies ?? []).map(
      (policy) => new IamRolePolicyAttachment(this, `policy-${policy}`, { role: role.name, policyArn: `arn:aws:iam::aws:policy/${policy}` }),
    );
  }
}
