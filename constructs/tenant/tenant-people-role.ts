import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Construct } from 'constructs';
import { policyDocument, renderPolicy, type PolicyStatement } from '../common/policy';

/** Services the tenant's people may use in their account, within the boundary. */
export const PEOPLE_BOUNDARY_SERVICES = [
  'athena:*',
  'cloudwatch:*',
  'ec2:Describe*',
  'ecr:*',
  'eks:Describe*',
  'eks:List*',
  'glue:*',
  'iam:Get*',
  'iam:List*',
  'kms:*',
  'logs:*',
  's3:*',
  'sagemaker:*',
  'sts:GetCallerIdentity',
] as const;

/**
 * What the people role may read of CloudWatch in its own account: there it holds only the
 * tenant's own metrics, among them the copy of its Container Insights metrics (docs/metrics.md).
 */
export const PEOPLE_METRICS_READ_ACTIONS = [
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  'cloudwatch:GetDashboard',
  'cloudwatch:ListDashboards',
  'cloudwatch:PutDashboard',
  'cloudwatch:DeleteDashboards',
] as const;

/** Changes to guarded policies that the boundary denies whatever the role's own policy says. */
export const GUARDED_POLICY_ACTIONS = {
  keyPolicy: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:CreateGrant'],
  bucketPolicy: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketPublicAccessBlock', 's3:PutBucketAcl', 's3:PutBucketOwnershipControls'],
  boundary: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'],
  roleBoundary: ['iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary'],
} as const;

export interface TenantPeopleRoleProps {
  readonly roleName: string;
  readonly boundaryPolicyName: string;
  readonly tenantAccountId: string;
  /** Roles of the platform in the tenant account that people may not change. */
  readonly platformRoleNames: readonly string[];
  /** What the role may do (within the boundary). */
  readonly statements: readonly PolicyStatement[];
  /** @default 43200 (12 hours) */
  readonly maxSessionSeconds?: number;
}

/**
 * The role the tenant's people assume in their account (through the account's SSO or
 * IAM). A permissions boundary stops it from editing the platform's roles, the boundary
 * itself, the key policy and the bucket policies, whatever its own policy grants.
 */
export class TenantPeopleRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  readonly boundaryArn: string;

  constructor(scope: Construct, id: string, props: TenantPeopleRoleProps) {
    super(scope, id);
    const account = props.tenantAccountId;
    const boundaryArn = `arn:aws:iam::${account}:policy/${props.boundaryPolicyName}`;
    const guardedRoles = [...props.platformRoleNames, props.roleName].map((name) => `arn:aws:iam::${account}:role/${name}`);
    const boundary = new IamPolicy(this, 'boundary', {
      name: props.boundaryPolicyName,
      description: 'Permissions boundary of the tenant people role',
      policy: renderPolicy(
        policyDocument(
          { Sid: 'ServicesTenantsUse', Effect: 'Allow', Action: [...PEOPLE_BOUNDARY_SERVICES], Resource: '*' },
          { Sid: 'DenyEditingPlatformRoles', Effect: 'Deny', NotAction: ['iam:Get*', 'iam:List*'], Resource: guardedRoles },
          { Sid: 'DenyEditingTheBoundary', Effect: 'Deny', Action: [...GUARDED_POLICY_ACTIONS.boundary], Resource: boundaryArn },
          { Sid: 'DenyRemovingBoundaries', Effect: 'Deny', Action: [...GUARDED_POLICY_ACTIONS.roleBoundary], Resource: '*' },
          { Sid: 'DenyEditingKeyPolicies', Effect: 'Deny', Action: [...GUARDED_POLICY_ACTIONS.keyPolicy], Resource: '*' },
          { Sid: 'DenyEditingBucketPolicies', Effect: 'Deny', Action: [...GUARDED_POLICY_ACTIONS.bucketPolicy], Resource: '*' },
        ),
      ),
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: 'People of the tenant team',
      maxSessionDuration: props.maxSessionSeconds ?? 43200,
      permissionsBoundary: boundary.arn,
      assumeRolePolicy: renderPolicy(
        policyDocument({
          Sid: 'TenantAccountPrincipals',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        }),
      ),
      inlinePolicy: [{ name: 'people', policy: renderPolicy(policyDocument(...props.statements)) }],
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.boundaryArn = boundary.arn;
  }
}
