/**
 * The tenant SCPs as AWS evaluates them (the proof's IAM evaluator): what they deny a
 * tenant's own administrator, and what they leave to the platform role.
 */
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { regionAllowListPolicy, tenantGuardrailsPolicy } from '../../../constructs/organization/service-control-policies';
import { decide } from '../../../proof/simulate';

const ACCOUNT = '444444444444';
const PROPS = { platformRoleName: 'OrganizationAccountAccessRole', allowedRegions: ['us-east-1', 'eu-west-1'] };
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/tenant-admin`;
const PLATFORM = `arn:aws:iam::${ACCOUNT}:role/${PROPS.platformRoleName}`;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

/** `principal` (allowed everything by its own policy) asking for `action` in `region`, under the tenant OU's SCPs. */
function decision(principal: string, action: string, region = 'us-east-1', resource = '*'): string {
  const simulation: Simulation = {
    request: {
      principal,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': ACCOUNT, 'aws:RequestedRegion': region, 'aws:SecureTransport': 'true' },
    },
    identityPolicies: [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    serviceControlPolicies: [
      {
        orgIdentifier: 'ou-tenants',
        policies: [
          { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
          { name: 'tenant-guardrails', policy: tenantGuardrailsPolicy() },
          { name: 'tenant-regions', policy: regionAllowListPolicy(PROPS) },
        ],
      },
    ],
    resourceControlPolicies: [],
  };
  return decide(simulation);
}

describe('tenant service control policies, evaluated', () => {
  test("deny the tenant's administrator leaving the organization and making IAM users or access keys", () => {
    expect(decision(ADMIN, 'organizations:LeaveOrganization')).toBe('ExplicitlyDenied');
    expect(decision(ADMIN, 'iam:CreateUser', 'us-east-1', `arn:aws:iam::${ACCOUNT}:user/backdoor`)).toBe('ExplicitlyDenied');
    expect(decision(ADMIN, 'iam:CreateAccessKey', 'us-east-1', `arn:aws:iam::${ACCOUNT}:user/backdoor`)).toBe('ExplicitlyDenied');
  });

  test('deny the platform role the same: no exemption at the OU level (the per-account platform-controls SCP holds the exact-ARN exemptions)', () => {
    expect(decision(PLATFORM, 'organizations:LeaveOrganization')).toBe('ExplicitlyDenied');
    expect(decision(PLATFORM, 'iam:CreateAccessKey', 'us-east-1', `arn:aws:iam::${ACCOUNT}:user/backdoor`)).toBe('ExplicitlyDenied');
  });

  test('deny the root user everything', () => {
    expect(decision(ROOT, 's3:GetObject', 'us-east-1', 'arn:aws:s3:::any-bucket/key')).toBe('ExplicitlyDenied');
  });

  test('allow work in an allowed region, deny it elsewhere, and keep global services reachable', () => {
    expect(decision(ADMIN, 's3:GetObject', 'eu-west-1', 'arn:aws:s3:::data/key')).toBe('Allowed');
    expect(decision(ADMIN, 's3:GetObject', 'ap-south-1', 'arn:aws:s3:::data/key')).toBe('ExplicitlyDenied');
    expect(decision(ADMIN, 'iam:GetRole', 'ap-south-1', `arn:aws:iam::${ACCOUNT}:role/x`)).toBe('Allowed');
  });
});
