import { accountStacks, bodies, single, synthPlatform, underMode, type StackJson } from '../support/synth';

describe('organization stack', () => {
  let org: StackJson;
  let accounts: StackJson;
  beforeAll(() => {
    const { stacks } = synthPlatform();
    org = stacks.organization;
    accounts = accountStacks(stacks);
  });

  test('creates the tenants OU under the configured parent', () => {
    const ou = single(org, 'aws_organizations_organizational_unit');
    expect(ou).toMatchObject({ name: 'ML Tenants', parent_id: 'r-a1b2' });
  });

  test('attaches its two service control policies to the OU and holds nothing of a tenant', () => {
    const policies = bodies(org, 'aws_organizations_policy');
    expect(policies.map((p) => p.name).sort()).toEqual(['mlp-tenant-guardrails', 'mlp-tenant-regions']);
    const attachments = bodies(org, 'aws_organizations_policy_attachment');
    expect(attachments).toHaveLength(2);
    for (const attachment of attachments) expect(attachment.target_id).toMatch(/^\$\{aws_organizations_organizational_unit\.tenant-ou_\w+\.id\}$/);
    for (const type of ['aws_organizations_account', 'aws_budgets_budget', 'aws_ssoadmin_permission_set']) expect(bodies(org, type)).toHaveLength(0);
  });

  test.each([
    ['DenyLeavingOrganization', 'organizations:LeaveOrganization'],
    ['DenyDisablingSecurityServices', 'cloudtrail:StopLogging'],
    ['DenyDisablingSecurityServices', 'guardduty:DeleteDetector'],
    ['DenyDisablingSecurityServices', 'config:StopConfigurationRecorder'],
    ['DenyRootUser', 'arn:aws:iam::*:root'],
    ['DenyIamUsersAndAccessKeys', 'iam:CreateAccessKey'],
    ['DenyChangingBucketAndKeyPolicies', 's3:PutAccountPublicAccessBlock'],
    ['DenyChangingPlatformRoles', 'iam:UpdateAssumeRolePolicy'],
    ['DenyChangingIdentityProviders', 'iam:CreateOpenIDConnectProvider'],
    ['DenyRegionsOutsideAllowList', 'aws:RequestedRegion'],
  ])('an SCP statement %s covers %s', (sid, fragment) => {
    const content = [org, accounts]
      .flatMap((stack) => bodies(stack, 'aws_organizations_policy'))
      .map((p) => String(p.content))
      .join('\n');
    expect(content).toContain(`"Sid" = "${sid}"`);
    expect(content).toContain(fragment);
  });

  test('the region SCP denies regions outside the allow-list', () => {
    const regions = single(org, 'aws_organizations_policy', 'scp-regions');
    expect(regions.content).toContain('"aws:RequestedRegion" = ["us-east-1", "us-west-2"]');
  });

  test('activates the tenant and cost-center tags as cost allocation tags, once for all tenants', () => {
    expect(
      bodies(org, 'aws_ce_cost_allocation_tag')
        .map((t) => [t.tag_key, t.status])
        .sort(),
    ).toEqual([
      ['cost-center', 'Active'],
      ['tenant', 'Active'],
    ]);
  });

  test('assumes the management deploy role to deploy and its planner otherwise, with no static credentials', () => {
    const [aws] = org.provider!.aws;
    const roleArn = (aws.assume_role as { role_arn: string }[])[0].role_arn;
    expect(underMode(roleArn, 'deploy')).toBe('arn:aws:iam::111111111111:role/mlp-deployer');
    expect(underMode(roleArn, 'plan')).toBe('arn:aws:iam::111111111111:role/mlp-planner');
    expect(aws).not.toHaveProperty('access_key');
  });
});
