/**
 * The per-account service control policy that keeps a tenant account's platform-managed
 * parts in the platform's hands. Its exemptions are exact role ARNs in that one account,
 * never a name pattern: a pattern matches a role of that name that a tenant created in an
 * adopted account before adoption, and any other account's role of that name.
 *
 * Denied to every principal but the exempt platform roles:
 * - changing the exempt roles themselves and the platform-managed roles (trust, policies,
 *   boundary, tags, deletion) and the people boundary policy;
 * - changing or deleting the platform StackSet's stack in the account (deleting it would
 *   delete the pipeline roles it holds, with CloudFormation's rights rather than the caller's);
 * - creating, changing or deleting identity providers (the cluster's OIDC provider is what
 *   lets pods in; another one would let a foreign cluster in);
 * - changing bucket policies, ACLs, ownership and S3 Block Public Access;
 * - changing or deleting key policies and keys;
 * - stopping or deleting CloudTrail, Config and GuardDuty.
 */
import { policyDocument, type PolicyDocument } from '../common/policy';

/** Changes to a role that would let someone else use it, or widen what it may do. */
export const ROLE_CHANGE_ACTIONS = [
  'iam:AttachRolePolicy',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
] as const;

export const POLICY_CHANGE_ACTIONS = [
  'iam:CreatePolicyVersion',
  'iam:DeletePolicy',
  'iam:DeletePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:TagPolicy',
  'iam:UntagPolicy',
] as const;

export const IDENTITY_PROVIDER_ACTIONS = [
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:CreateOpenIDConnectProvider',
  'iam:CreateSAMLProvider',
  'iam:DeleteOpenIDConnectProvider',
  'iam:DeleteSAMLProvider',
  'iam:RemoveClientIDFromOpenIDConnectProvider',
  'iam:TagOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
  'iam:UpdateSAMLProvider',
] as const;

export const DATA_POLICY_ACTIONS = [
  's3:DeleteAccountPublicAccessBlock',
  's3:DeleteBucketPolicy',
  's3:DeleteBucketPublicAccessBlock',
  's3:PutAccountPublicAccessBlock',
  's3:PutBucketAcl',
  's3:PutBucketOwnershipControls',
  's3:PutBucketPolicy',
  's3:PutBucketPublicAccessBlock',
  'kms:DisableKey',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
] as const;

export const SECURITY_SERVICE_ACTIONS = [
  'cloudtrail:DeleteTrail',
  'cloudtrail:PutEventSelectors',
  'cloudtrail:StopLogging',
  'cloudtrail:UpdateTrail',
  'config:DeleteConfigRule',
  'config:DeleteConfigurationRecorder',
  'config:DeleteDeliveryChannel',
  'config:StopConfigurationRecorder',
  'guardduty:DeleteDetector',
  'guardduty:DeleteMembers',
  'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DisassociateFromMasterAccount',
  'guardduty:StopMonitoringMembers',
  'guardduty:UpdateDetector',
] as const;

/** Changes to a CloudFormation stack that would change or delete what it created. */
export const STACK_CHANGE_ACTIONS = [
  'cloudformation:CreateChangeSet',
  'cloudformation:DeleteStack',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:SetStackPolicy',
  'cloudformation:UpdateStack',
  'cloudformation:UpdateTerminationProtection',
] as const;

export interface PlatformControlsProps {
  /** The tenant account (a literal id or a reference to the vended account). */
  readonly accountId: string;
  /**
   * Names of the platform's own roles in the account: the only principals exempt (the
   * platform's deployer). Never the organization access role: an adopted account's previous
   * owner made it.
   */
  readonly exemptRoleNames: readonly string[];
  /** Roles the platform manages in the account (people, workload) that nobody else may change. */
  readonly managedRoleNames: readonly string[];
  /** Customer-managed policies the platform manages (the people boundary). */
  readonly managedPolicyNames: readonly string[];
  /** StackSets whose stacks in the account hold platform roles (their stacks are `StackSet-<name>-<uuid>`). @default none */
  readonly managedStackSetNames?: readonly string[];
}

export function exemptRoleArns(accountId: string, roleNames: readonly string[]): string[] {
  return roleNames.map((name) => `arn:aws:iam::${accountId}:role/${name}`);
}

export function platformControlsPolicy(props: PlatformControlsProps): PolicyDocument {
  const account = props.accountId;
  const exempt = exemptRoleArns(account, props.exemptRoleNames);
  const exceptPlatform = { StringNotEquals: { 'aws:PrincipalArn': exempt } };
  const roles = [...exempt, ...exemptRoleArns(account, props.managedRoleNames)];
  return policyDocument(
    { Sid: 'DenyChangingPlatformRoles', Effect: 'Deny', Action: [...ROLE_CHANGE_ACTIONS], Resource: roles, Condition: exceptPlatform },
    {
      Sid: 'DenyChangingPlatformPolicies',
      Effect: 'Deny',
      Action: [...POLICY_CHANGE_ACTIONS],
      Resource: props.managedPolicyNames.map((name) => `arn:aws:iam::${account}:policy/${name}`),
      Condition: exceptPlatform,
    },
    ...(props.managedStackSetNames?.length
      ? [
          {
            Sid: 'DenyChangingPlatformStacks',
            Effect: 'Deny' as const,
            Action: [...STACK_CHANGE_ACTIONS],
            Resource: props.managedStackSetNames.map((name) => `arn:aws:cloudformation:*:${account}:stack/StackSet-${name}-*`),
            Condition: exceptPlatform,
          },
        ]
      : []),
    { Sid: 'DenyChangingIdentityProviders', Effect: 'Deny', Action: [...IDENTITY_PROVIDER_ACTIONS], Resource: '*', Condition: exceptPlatform },
    { Sid: 'DenyChangingBucketAndKeyPolicies', Effect: 'Deny', Action: [...DATA_POLICY_ACTIONS], Resource: '*', Condition: exceptPlatform },
    { Sid: 'DenyDisablingSecurityServices', Effect: 'Deny', Action: [...SECURITY_SERVICE_ACTIONS], Resource: '*', Condition: exceptPlatform },
  );
}
