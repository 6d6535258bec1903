/**
 * The account layer of the isolation proof, on the samples and with planted leaks: an
 * exempt role whose trust a tenant administrator could edit, an Identity Center group
 * assigned to the wrong account, one group for two tenants, a permission set that may do
 * more than assume the people role.
 */
import { proveStacks, type ProofFinding, type ProofResult } from '../../proof/prove';
import type { JsonObject, SynthStack } from '../../proof/resolve';
import type { TenantModel } from '../../proof/model';
import { cloneStacks, tenantModels, readSampleStacks, exemptAccessRoleAgain } from './plant';

let stacks: SynthStack[];
let models: Map<string, TenantModel>;
let clean: ProofResult;

beforeAll(async () => {
  stacks = readSampleStacks();
  models = tenantModels(stacks);
  clean = await proveStacks(stacks);
});

const accountFindings = (result: ProofResult): ProofFinding[] =>
  result.findings.filter((f) => f.check.kind === 'sign-in' || f.check.kind === 'account-control');

function accountStack(planted: SynthStack[], tenant: string): Record<string, Record<string, JsonObject>> {
  const stack = planted.find((s) => s.name === `account-${tenant}`);
  if (!stack) throw new Error(`no account stack of ${tenant}`);
  return stack.json.resource as Record<string, Record<string, JsonObject>>;
}

/** The tenant's account stack's resource of a type whose construct path names the tenant. */
function orgResource(planted: SynthStack[], type: string, tenant: string): JsonObject {
  const found = Object.values(accountStack(planted, tenant)[type] ?? {}).filter((body) =>
    String((body['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path).includes(`/${tenant}-`),
  );
  if (found.length !== 1) throw new Error(`expected one ${type} of ${tenant}, found ${found.length}`);
  return found[0];
}

describe('account layer of the isolation proof', () => {
  test('passes on the samples, having simulated sign-ins and account controls', () => {
    expect(accountFindings(clean)).toEqual([]);
    expect(clean.notes.join('\n')).not.toContain('no Identity Center assignment');
    // Every tenant has a sign-in path and its controls were checked (the checks did run).
    expect(clean.accountLayer).toEqual({ signIns: 3, accountsControlled: 3 });
    expect(clean.simulations).toBeGreaterThan(3 * 40);
  });

  test('catches an exempt role a tenant administrator could edit (its SCP protection removed)', async () => {
    const planted = cloneStacks(stacks);
    const scp = orgResource(planted, 'aws_organizations_policy', 'fraud-detection');
    scp.content = String(scp.content).replace('"iam:UpdateAssumeRolePolicy", ', '');
    const found = accountFindings(await proveStacks(planted));
    expect(found.map((f) => `${f.type} ${f.check.action} ${f.check.principal.split(':').pop()}`)).toEqual(
      expect.arrayContaining(['leak iam:UpdateAssumeRolePolicy role/tenant-administrator']),
    );
    const trustEdit = found.find((f) => f.check.action === 'iam:UpdateAssumeRolePolicy' && f.check.resource.endsWith(':role/mlp-deployer'));
    expect(trustEdit?.check.resourceTenant).toBe('fraud-detection');
  });

  test('catches an exemption widened from the exact platform role to a pattern that matches any role', async () => {
    const planted = cloneStacks(stacks);
    const scp = orgResource(planted, 'aws_organizations_policy', 'analytics');
    scp.content = String(scp.content)
      .replaceAll('"StringNotEquals" = {"aws:PrincipalArn"', '"StringNotLike" = {"aws:PrincipalArn"')
      .replace(/"aws:PrincipalArn" = \["arn:aws:iam::[^\]]*:role\/mlp-deployer"\]/g, '"aws:PrincipalArn" = ["arn:aws:iam::*:role/*"]');
    const found = accountFindings(await proveStacks(planted));
    expect(found.some((f) => f.type === 'leak' && f.check.resourceTenant === 'analytics' && f.check.principal.endsWith(':role/tenant-administrator'))).toBe(
      true,
    );
  });

  test('catches an SCP that exempts the organization access role again: a role its previous owner controls could change the platform roles', async () => {
    const planted = cloneStacks(stacks);
    const account = (models.get('recsys-inference') as TenantModel).accountId;
    exemptAccessRoleAgain(planted, 'recsys-inference', account);
    const found = accountFindings(await proveStacks(planted));
    expect(found.length).toBeGreaterThan(0);
    for (const f of found)
      expect([f.type, f.check.principal, f.check.resourceTenant]).toEqual([
        'leak',
        `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
        'recsys-inference',
      ]);
    expect(found.map((f) => `${f.check.action} ${f.check.resource.split(':').pop()}`)).toEqual(
      expect.arrayContaining(['iam:UpdateAssumeRolePolicy role/mlp-deployer', 'iam:UpdateAssumeRolePolicy role/mlp-recsys-inference-planner']),
    );
  });

  test("catches a tenant deployer whose trust (in the StackSet's template) is widened beyond the management deployer", async () => {
    const planted = cloneStacks(stacks);
    const organization = planted.find((s) => s.name === 'organization')?.json.resource as Record<string, Record<string, JsonObject>>;
    const stackSet = Object.values(organization.aws_cloudformation_stack_set)[0];
    const template = JSON.parse(String(stackSet.template_body));
    template.Resources.Deployer.Properties.AssumeRolePolicyDocument.Statement = [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }];
    stackSet.template_body = JSON.stringify(template);
    const found = (await proveStacks(planted)).findings.filter((f) => f.type === 'leak');
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((f) => f.check.resource.endsWith(':role/mlp-deployer') && f.check.principalTenant !== f.check.resourceTenant)).toBe(true);
  });

  test("catches a group assigned to another tenant's account", async () => {
    const planted = cloneStacks(stacks);
    orgResource(planted, 'aws_ssoadmin_account_assignment', 'fraud-detection').target_id = (models.get('recsys-inference') as TenantModel).accountId;
    const found = accountFindings(await proveStacks(planted));
    expect(found).toEqual([
      expect.objectContaining({
        type: 'leak',
        check: expect.objectContaining({
          kind: 'sign-in',
          principalTenant: 'fraud-detection',
          resourceTenant: 'recsys-inference',
          action: 'sso:CreateAccountAssignment',
        }),
        reason: expect.stringContaining("the permission set of 'fraud-detection' is assigned to the account of 'recsys-inference'"),
      }),
    ]);
  });

  test('catches one group assigned into the accounts of two tenants', async () => {
    const planted = cloneStacks(stacks);
    const fraudGroup = orgResource(planted, 'aws_ssoadmin_account_assignment', 'fraud-detection').principal_id;
    orgResource(planted, 'aws_ssoadmin_account_assignment', 'analytics').principal_id = fraudGroup;
    const found = accountFindings(await proveStacks(planted));
    expect(found).toEqual([
      expect.objectContaining({
        type: 'leak',
        reason: 'one group is assigned into the accounts of several tenants',
        check: expect.objectContaining({ principalTenant: 'analytics', resourceTenant: 'fraud-detection' }),
      }),
    ]);
  });

  test('reports blocked sign-in when the permission set can no longer assume its own people role', async () => {
    const planted = cloneStacks(stacks);
    const policy = orgResource(planted, 'aws_ssoadmin_permission_set_inline_policy', 'analytics');
    policy.inline_policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }] });
    const found = accountFindings(await proveStacks(planted));
    expect(found).toEqual([
      expect.objectContaining({
        type: 'blocked',
        check: expect.objectContaining({ kind: 'sign-in', action: 'sts:AssumeRole', resource: expect.stringMatching(/:role\/analytics-people$/) }),
      }),
    ]);
  });

  test("a permission set widened to every bucket still reaches no other tenant's data: their bucket policies deny principals of other accounts", async () => {
    const planted = cloneStacks(stacks);
    const policy = orgResource(planted, 'aws_ssoadmin_permission_set_inline_policy', 'analytics');
    policy.inline_policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 's3:GetObject'], Resource: '*' }],
    });
    const result = await proveStacks(planted, { mode: 'pairwise' });
    // The other tenants' bucket policies still deny every principal outside their account: no leak.
    expect(accountFindings(result)).toEqual([]);
  });
});
