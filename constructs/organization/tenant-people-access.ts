import { SsoadminAccountAssignment } from '@cdktf/provider-aws/lib/ssoadmin-account-assignment';
import { SsoadminPermissionSet } from '@cdktf/provider-aws/lib/ssoadmin-permission-set';
import { SsoadminPermissionSetInlinePolicy } from '@cdktf/provider-aws/lib/ssoadmin-permission-set-inline-policy';
import { Construct } from 'constructs';
import { policyDocument, renderPolicy, type PolicyDocument } from '../common/policy';

export interface TenantPeopleAccessProps {
  /** IAM Identity Center instance (in the management account). */
  readonly instanceArn: string;
  /** Permission set name: 32 characters at most (config/names.ts shortens it). */
  readonly permissionSetName: string;
  /** The tenant's Identity Center group. */
  readonly groupId: string;
  /** The tenant's account: the only account the group is assigned to. */
  readonly accountId: string;
  /** The people role in that account: the only thing the permission set may do. */
  readonly peopleRoleName: string;
  /** Sign-in session length in hours. @default 8 */
  readonly sessionHours?: number;
  readonly tags: Record<string, string>;
}

/** What a signed-in member may do: assume the tenant's people role (whose boundary applies), nothing else. */
export function peopleAccessPolicy(accountId: string, peopleRoleName: string): PolicyDocument {
  return policyDocument(
    { Sid: 'AssumeThePeopleRole', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: `arn:aws:iam::${accountId}:role/${peopleRoleName}` },
    { Sid: 'WhoAmI', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
  );
}

/**
 * Gets a tenant's people into the tenant account with no manual step: a permission set
 * that may only assume the people role, assigned to the tenant's group in the tenant's
 * account and nowhere else.
 */
export class TenantPeopleAccess extends Construct {
  readonly permissionSetArn: string;

  constructor(scope: Construct, id: string, props: TenantPeopleAccessProps) {
    super(scope, id);
    const hours = props.sessionHours ?? 8;
    const errors: string[] = [];
    if (props.permissionSetName.length > 32) errors.push(`permission set name '${props.permissionSetName}' is longer than 32 characters`);
    if (!Number.isInteger(hours) || hours < 1 || hours > 12) errors.push(`sessionHours must be a whole number from 1 to 12, got ${hours}`);
    if (errors.length > 0) throw new Error(`TenantPeopleAccess ${id}: ${errors.join('; ')}`);
    const permissionSet = new SsoadminPermissionSet(this, 'permission-set', {
      instanceArn: props.instanceArn,
      name: props.permissionSetName,
      description: 'Tenant people: may only assume the tenant people role',
      sessionDuration: `PT${hours}H`,
      tags: props.tags,
    });
    new SsoadminPermissionSetInlinePolicy(this, 'policy', {
      instanceArn: props.instanceArn,
      permissionSetArn: permissionSet.arn,
      inlinePolicy: renderPolicy(peopleAccessPolicy(props.accountId, props.peopleRoleName)),
    });
    new SsoadminAccountAssignment(this, 'assignment', {
      instanceArn: props.instanceArn,
      permissionSetArn: permissionSet.arn,
      principalType: 'GROUP',
      principalId: props.groupId,
      targetType: 'AWS_ACCOUNT',
      targetId: props.accountId,
    });
    this.permissionSetArn = permissionSet.arn;
  }
}
