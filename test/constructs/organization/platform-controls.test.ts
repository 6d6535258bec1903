/**
 * The tenant account's service control policies, evaluated: what a tenant administrator
 * (a role in the tenant account allowed everything by its own policies) can no longer do,
 * and what the platform's exempt role still can.
 */
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { platformControlsPolicy } from '../../../constructs/organization/platform-controls';
import { tenantGuardrailsPolicy } from '../../../constructs/organization/service-control-policies';
import { decide } from '../../../proof/simulate';

const ACCOUNT = '444455556666';
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/mlp-deployer`;
const ACCESS_ROLE = `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`;
const TENANT_ADMIN = `arn:aws:iam::${ACCOUNT}:role/team-admin`;
const PLATFORM_STACK = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/StackSet-mlp-tenant-pipeline-roles-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/0f1e2d3c`;
const controls = platformControlsPolicy({
  accountId: ACCOUNT,
  exemptRoleNames: ['mlp-deployer'],
  managedRoleNames: ['t-people', 't-workload', 'mlp-t-planner'],
  managedPolicyNames: ['t-people-boundary'],
  managedStackSetNames: ['mlp-tenant-pipeline-roles'],
});

function request(principalRole: string, action: string, resource: string, scps = [controls, tenantGuardrailsPolicy()]): Simulation {
  const roleName = principalRole.split('/').pop();
  return {
    request: {
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/s`,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: { 'aws:PrincipalArn': principalRole, 'aws:PrincipalAccount': ACCOUNT },
    },
    identityPolicies: [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    serviceControlPolicies: [
      {
        orgIdentifier: ACCOUNT,
        policies: [
          { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
          ...scps.map((policy, i) => ({ name: `scp-${i}`, policy })),
        ],
      },
    ],
    resourceControlPolicies: [],
    // A KMS key needs its key policy to allow: the default one trusts the account.
    resourcePolicy: resource.startsWith('arn:aws:kms:')
      ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }
      : undefined,
  };
}

const FORBIDDEN: [string, string][] = [
  ['iam:UpdateAssumeRolePolicy', DEPLOYER],
  ['iam:PutRolePolicy', DEPLOYER],
  ['iam:DeleteRole', DEPLOYER],
  ['iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/mlp-t-planner`],
  ['cloudformation:DeleteStack', PLATFORM_STACK],
  ['cloudformation:UpdateStack', PLATFORM_STACK],
  ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${ACCOUNT}:role/t-people`],
  ['iam:DeleteRolePermissionsBoundary', `arn:aws:iam::${ACCOUNT}:role/t-people`],
  ['iam:AttachRolePolicy', `arn:aws:iam::${ACCOUNT}:role/t-workload`],
  ['iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/t-people-boundary`],
  ['iam:CreateOpenIDConnectProvider', `arn:aws:iam::${ACCOUNT}:oidc-provider/foreign.example.com`],
  ['iam:UpdateOpenIDConnectProviderThumbprint', `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC`],
  ['s3:PutBucketPolicy', 'arn:aws:s3:::mlp-t-datasets'],
  ['s3:PutBucketPublicAccessBlock', 'arn:aws:s3:::mlp-t-datasets'],
  ['s3:PutAccountPublicAccessBlock', '*'],
  ['kms:PutKeyPolicy', `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
  ['cloudtrail:StopLogging', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/organization`],
  ['guardduty:DeleteDetector', `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/abc`],
];

describe('platform controls (per-account SCP)', () => {
  test.each(FORBIDDEN)('a tenant administrator is denied %s on %s', (action, resource) => {
    expect(decide(request(TENANT_ADMIN, action, resource))).toBe('ExplicitlyDenied');
  });

  test.each(FORBIDDEN)('the platform deployer may still %s on %s', (action, resource) => {
    expect(decide(request(DEPLOYER, action, resource))).toBe('Allowed');
  });

  test.each(FORBIDDEN)('the organization access role, whatever its trust, is denied %s on %s like any tenant principal', (action, resource) => {
    expect(decide(request(ACCESS_ROLE, action, resource))).toBe('ExplicitlyDenied');
  });

  test("another of the tenant's stacks stays the tenant's to change", () => {
    const own = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/notebooks/0f1e2d3c`;
    expect(decide(request(TENANT_ADMIN, 'cloudformation:DeleteStack', own))).toBe('Allowed');
  });

  test('without the per-account SCP the tenant administrator could edit the exempt role (the control is what denies)', () => {
    expect(decide(request(TENANT_ADMIN, 'iam:UpdateAssumeRolePolicy', DEPLOYER, [tenantGuardrailsPolicy()]))).toBe('Allowed');
  });

  test('a role of the same name in another account is not exempt: the exemption is the exact ARN in this account', () => {
    const foreign = 'arn:aws:iam::999988887777:role/mlp-deployer';
    expect(decide(request(foreign, 's3:PutBucketPolicy', 'arn:aws:s3:::mlp-t-datasets'))).toBe('ExplicitlyDenied');
    const nested = `arn:aws:iam::${ACCOUNT}:role/copy/mlp-deployer`;
    expect(decide(request(nested, 'iam:UpdateAssumeRolePolicy', DEPLOYER))).toBe('ExplicitlyDenied');
  });

  test.each(['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile'])('nobody, the platform included, may %s', (action) => {
    for (const who of [TENANT_ADMIN, DEPLOYER]) expect(decide(request(who, action, `arn:aws:iam::${ACCOUNT}:user/someone`))).toBe('ExplicitlyDenied');
  });

  test('the tenant administrator keeps ordinary work: reading objects, creating its own roles', () => {
    expect(decide(request(TENANT_ADMIN, 's3:GetObject', 'arn:aws:s3:::mlp-t-datasets/x'))).toBe('Allowed');
    expect(decide(request(TENANT_ADMIN, 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/notebooks`))).toBe('Allowed');
  });

  test('fits the 5,120-character SCP limit with the longest names validation allows', () => {
    const longest = platformControlsPolicy({
      accountId: '123456789012',
      exemptRoleNames: ['x'.repeat(64), 'y'.repeat(64)],
      managedRoleNames: ['z'.repeat(64), 'w'.repeat(64), 'u'.repeat(64)],
      managedPolicyNames: ['v'.repeat(128)],
      managedStackSetNames: ['t'.repeat(128)],
    });
    expect(JSON.stringify(longest).length).toBeLessThan(5120);
  });
});
