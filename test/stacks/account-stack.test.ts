import { accountStacks, bodies, single, synthPlatform, underMode, type StackJson } from '../support/synth';

describe('account stacks', () => {
  let stacks: Record<string, StackJson>;
  /** Every account stack's resources in one view. */
  let org: StackJson;
  beforeAll(() => {
    stacks = synthPlatform().stacks;
    org = accountStacks(stacks);
  });

  test("gives each tenant account its own platform-controls SCP, in that tenant's account stack", () => {
    expect(
      bodies(org, 'aws_organizations_policy')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['mlp-analytics-platform-controls', 'mlp-fraud-detection-platform-controls', 'mlp-recsys-inference-platform-controls']);
    expect(single(stacks['account-analytics'], 'aws_organizations_policy').name).toBe('mlp-analytics-platform-controls');
  });

  test("holds only its own tenant's resources", () => {
    for (const tenant of ['analytics', 'fraud-detection', 'recsys-inference']) {
      const stack = stacks[`account-${tenant}`];
      const paths = Object.values(stack.resource ?? {}).flatMap((byName) => Object.values(byName).map((body) => String((body as any)['//']?.metadata?.path)));
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) expect(p).toMatch(new RegExp(`^account-${tenant}/(${tenant}-|pipeline-roles/)`));
      const others = ['analytics', 'fraud-detection', 'recsys-inference'].filter((t) => t !== tenant);
      for (const other of others) expect(JSON.stringify(stack)).not.toContain(other);
    }
  });

  test('vends one account per tenant with an e-mail, never closed or destroyed by Terraform', () => {
    const accounts = bodies(org, 'aws_organizations_account');
    expect(accounts.map((a) => a.email).sort()).toEqual(['aws+analytics@example.com', 'aws+fraud-detection@example.com']);
    for (const account of accounts) {
      expect(account.close_on_deletion).toBe(false);
      expect(account.lifecycle.prevent_destroy).toBe(true);
      expect(account.parent_id).toMatch(/aws_organizations_organizational_unit/);
    }
  });

  test('creates no account for a tenant that adopts an existing one', () => {
    expect(bodies(org, 'aws_organizations_account', 'recsys-inference')).toHaveLength(0);
  });

  test("tags each account with the tenant's tags", () => {
    const account = single(org, 'aws_organizations_account', 'fraud-detection');
    expect(account.tags).toMatchObject({ tenant: 'fraud-detection', 'cost-center': 'cc-4410', 'managed-by': 'ml-platform-blueprint' });
  });

  test("budgets each tenant's tagged spend in every account and its linked account, alerting the owner at 80% actual and 100% forecast", () => {
    const tagged = single(org, 'aws_budgets_budget', 'fraud-detection-budget/budget');
    const account = single(org, 'aws_budgets_budget', 'fraud-detection-budget/account-budget');
    expect(tagged.name).toBe('mlp-fraud-detection-monthly');
    expect(tagged.cost_filter).toEqual([{ name: 'TagKeyValue', values: ['user:tenant$fraud-detection'] }]);
    expect(account.name).toBe('mlp-fraud-detection-account');
    expect(account.cost_filter).toEqual([
      { name: 'LinkedAccount', values: [expect.stringMatching(/aws_organizations_account\.fraud-detection-account_\w+\.id/)] },
    ]);
    for (const budget of [tagged, account]) {
      expect(budget).toMatchObject({ budget_type: 'COST', limit_amount: '20000.00', limit_unit: 'USD', time_unit: 'MONTHLY' });
      expect(budget.notification).toEqual([
        expect.objectContaining({ threshold: 80, notification_type: 'ACTUAL', subscriber_email_addresses: ['fraud-ml@example.com'] }),
        expect.objectContaining({ threshold: 100, notification_type: 'FORECASTED', subscriber_email_addresses: ['fraud-ml@example.com'] }),
      ]);
    }
  });

  test('attaches the tenant SCPs directly to an adopted account, which stays outside the OU', () => {
    const attachments = bodies(org, 'aws_organizations_policy_attachment', 'recsys-inference-account');
    expect(attachments.map((a) => a.target_id)).toEqual(['333333333333', '333333333333', '333333333333']);
    expect(attachments.map((a) => a.policy_id).sort()).toEqual([
      expect.stringMatching(/recsys-inference-account_platform-controls/),
      expect.stringMatching(/scp-guardrails/),
      expect.stringMatching(/scp-regions/),
    ]);
    const vended = bodies(org, 'aws_organizations_policy_attachment', 'fraud-detection-account');
    expect(vended.map((a) => a.policy_id)).toEqual([expect.stringMatching(/fraud-detection-account_platform-controls/)]);
    expect(vended[0].target_id).toMatch(/aws_organizations_account\.fraud-detection-account_\w+\.id/);
  });

  test("exempts only the exact ARN of the platform's deployer in the tenant's own account: no name pattern, no access role", () => {
    const controls = single(org, 'aws_organizations_policy', 'recsys-inference-account');
    expect(controls.content).toContain('"aws:PrincipalArn" = ["arn:aws:iam::333333333333:role/mlp-deployer"]');
    expect(controls.content).not.toContain('OrganizationAccountAccessRole');
    const all = bodies(org, 'aws_organizations_policy')
      .map((p) => String(p.content))
      .join('\n');
    expect(all).not.toContain('arn:aws:iam::*:role/');
  });

  test("gives each tenant's Identity Center group a permission set assigned to its own account only", () => {
    const sets = bodies(org, 'aws_ssoadmin_permission_set');
    expect(sets.map((s) => s.name).sort()).toEqual(['mlp-analytics', 'mlp-fraud-detection', 'mlp-recsys-inference']);
    for (const set of sets) expect(set).toMatchObject({ instance_arn: 'arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f', session_duration: 'PT8H' });
    const assignment = single(org, 'aws_ssoadmin_account_assignment', 'recsys-inference');
    expect(assignment).toMatchObject({
      principal_type: 'GROUP',
      principal_id: '9067a1b2c3-3b4c5d6e-7f80-4912-8b3c-4d5e6f7a8b32',
      target_type: 'AWS_ACCOUNT',
      target_id: '333333333333',
    });
    const policy = single(org, 'aws_ssoadmin_permission_set_inline_policy', 'recsys-inference');
    expect(policy.inline_policy).toContain('"Resource" = "arn:aws:iam::333333333333:role/recsys-inference-people"');
    expect(single(org, 'aws_ssoadmin_account_assignment', 'fraud-detection').target_id).toMatch(/aws_organizations_account\.fraud-detection-account_\w+\.id/);
  });

  test('budgets an adopted account by its literal id', () => {
    expect(single(org, 'aws_budgets_budget', 'recsys-inference-budget/account-budget').cost_filter[0].values).toEqual(['333333333333']);
  });

  test("gets the platform's deployer and planner into the tenant account through its StackSet instance, never through the access role", () => {
    const stack = stacks['account-recsys-inference'];
    const instance = single(stack, 'aws_cloudformation_stack_set_instance', 'pipeline-roles');
    expect(instance.deployment_targets).toEqual({ organizational_unit_ids: ['r-a1b2'], account_filter_type: 'INTERSECTION', accounts: ['333333333333'] });
    expect(instance.parameter_overrides).toEqual({ PlannerRoleName: 'mlp-recsys-inference-planner' });
    // The StackSet's name is the organization stack's: the account stack waits for it.
    expect(instance.stack_set_name).toMatch(/terraform_remote_state\.cross-stack-reference-input-organization/);
    const vended = single(stacks['account-fraud-detection'], 'aws_cloudformation_stack_set_instance', 'pipeline-roles');
    expect(vended.deployment_targets.accounts).toEqual([expect.stringMatching(/aws_organizations_account\.fraud-detection-account_\w+\.id/)]);
    // Every provider of the stack is the management account's: no role is assumed in the tenant account.
    const providers = stack.provider!.aws;
    expect(providers).toHaveLength(1);
    expect((providers[0].assume_role as { role_arn: string }[]).map((hop) => underMode(hop.role_arn, 'deploy'))).toEqual([
      'arn:aws:iam::111111111111:role/mlp-deployer',
    ]);
    expect(JSON.stringify(stack)).not.toContain('OrganizationAccountAccessRole');
    expect(bodies(stack, 'aws_iam_role')).toHaveLength(0);
    // The SCP that exempts the deployer by name is attached only after the StackSet made the role of that name.
    const attachment = single(stack, 'aws_organizations_policy_attachment', 'platform-controls-attachment');
    expect(attachment.depends_on).toEqual([expect.stringMatching(/^aws_cloudformation_stack_set_instance\.pipeline-roles_instance_\w+$/)]);
  });
});
