/**
 * Service control policies on the tenants' OU: guardrails that hold for everyone and the
 * region allow-list. AWS allows five SCPs per target and FullAWSAccess takes one, so they
 * are grouped into two documents. The controls that exempt the platform are per account,
 * keyed on exact role ARNs: see platform-controls.ts.
 */
import { policyDocument, type PolicyDocument } from '../common/policy';

/** Services that are global (served from us-east-1) and must stay reachable from any region. */
const GLOBAL_SERVICE_ACTIONS = [
  'account:*',
  'budgets:*',
  'ce:*',
  'cloudfront:*',
  'health:*',
  'iam:*',
  'organizations:*',
  'route53:*',
  'sts:*',
  'support:*',
  'trustedadvisor:*',
  'waf:*',
];

export interface ScpProps {
  readonly allowedRegions: readonly string[];
}

/**
 * IAM actions that create long-lived credentials. Nobody in a tenant account needs them:
 * people sign in through IAM Identity Center, pods through IRSA, the platform by role.
 */
export const IAM_USER_ACTIONS = [
  'iam:CreateUser',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:UploadSSHPublicKey',
  'iam:UploadSigningCertificate',
] as const;

/** Guardrails that hold for every principal of every tenant account, the platform's included. */
export function tenantGuardrailsPolicy(): PolicyDocument {
  return policyDocument(
    { Sid: 'DenyLeavingOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
    { Sid: 'DenyRootUser', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } } },
    { Sid: 'DenyIamUsersAndAccessKeys', Effect: 'Deny', Action: [...IAM_USER_ACTIONS], Resource: '*' },
  );
}

export function regionAllowListPolicy(props: ScpProps): PolicyDocument {
  return policyDocument({
    Sid: 'DenyRegionsOutsideAllowList',
    Effect: 'Deny',
    NotAction: GLOBAL_SERVICE_ACTIONS,
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:RequestedRegion': props.allowedRegions } },
  });
}
