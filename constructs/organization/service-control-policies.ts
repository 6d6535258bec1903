/**
 * Service control policies on the tenants' OU. AWS allows five SCPs per target and
 * FullAWSAccess takes one, so the guardrails are grouped into two documents.
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
  /** Role the platform uses in tenant accounts; exempt from the security-service denies. */
  readonly platformRoleName: string;
  readonly allowedRegions: readonly string[];
}

export function tenantGuardrailsPolicy(props: ScpProps): PolicyDocument {
  const exceptPlatformRole = { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${props.platformRoleName}` } };
  return policyDocument(
    { Sid: 'DenyLeavingOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
    {
      Sid: 'DenyDisablingSecurityServices',
      Effect: 'Deny',
      Action: [
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
      ],
      Resource: '*',
      Condition: exceptPlatformRole,
    },
    { Sid: 'DenyRootUser', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } } },
    {
      Sid: 'DenyDisablingS3BlockPublicAccess',
      Effect: 'Deny',
      Action: ['s3:PutAccountPublicAccessBlock', 's3:DeleteAccountPublicAccessBlock', 's3:PutBucketPublicAccessBlock', 's3:DeleteBucketPublicAccessBlock'],
      Resource: '*',
      Condition: exceptPlatformRole,
    },
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
