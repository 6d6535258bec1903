/**
 * `account-<tenant>` (management account): one tenant's account, vended or adopted, with its
 * own `platform-controls` SCP, its two budgets and its Identity Center sign-in, and the
 * platform's deployer in the account. One small stack per tenant, so that no stack grows
 * with the number of tenants and a one-tenant change touches only that tenant's stacks.
 */
import type { Construct } from 'constructs';
import type { Platform, Tenant } from '../config/model';
import { pipelineRoleNames, tenantNames } from '../config/names';
import { PipelineRole } from '../constructs/bootstrap/pipeline-role';
import { TAG, tenantTags } from '../constructs/common/tags';
import { TenantAccount } from '../constructs/organization/tenant-account';
import { TenantBudget } from '../constructs/organization/tenant-budget';
import type { TenantOrganizationalUnit } from '../constructs/organization/tenant-organizational-unit';
import { TenantPeopleAccess } from '../constructs/organization/tenant-people-access';
import { PlatformStack } from './platform-stack';
import { awsAccountProvider, managementAccountRoles, roleArn } from './providers';

export interface AccountStackProps {
  readonly platform: Platform;
  readonly tenant: Tenant;
  /** The tenants' OU of the organization stack (its id and SCP ids are cross-stack references). */
  readonly tenantOu: TenantOrganizationalUnit;
}

/**
 * The platform's own roles in a tenant account, exempt from its platform-controls SCP:
 * the organization's access role (used once, by the account stack, to create the deployer)
 * and the platform's deployer.
 */
export function tenantAccountExemptRoles(platform: Platform): string[] {
  return [platform.accountAccessRoleName, pipelineRoleNames(platform.name).deployer];
}

/**
 * Construct id of the tenant's account in its account stack. The cross-tenant guardrail
 * knows a tenant by the unique ids of the resources under it (synth/platform.ts), which an
 * incremental synth reads back from an earlier output under this id.
 */
export function tenantAccountId(tenant: string): string {
  return `${tenant}-account`;
}

export class AccountStack extends PlatformStack {
  readonly tenant: Tenant;
  readonly account: TenantAccount;

  constructor(scope: Construct, props: AccountStackProps) {
    const { platform, tenant } = props;
    const names = tenantNames(platform.name, platform.platformAccountId, tenant.name);
    super(scope, names.accountStack, platform);
    this.tenant = tenant;
    const tags = tenantTags(platform.name, tenant, platform.tags);
    const sessionName = `${platform.name}-${names.accountStack}`;
    awsAccountProvider(this, 'aws', { region: platform.region, roleArn: managementAccountRoles(platform), sessionName, tags });
    // Construct ids as the organization stack had them, so that `terraform state mv` keeps each address (docs/architecture.md).
    const account = new TenantAccount(this, tenantAccountId(tenant.name), {
      spec: tenant.account,
      accountName: names.accountName,
      parentId: props.tenantOu.ouId,
      accessRoleName: platform.accountAccessRoleName,
      tags,
      serviceControlPolicyIds: props.tenantOu.policyIds,
      platformControls: {
        policyName: names.platformControlsPolicy,
        exemptRoleNames: tenantAccountExemptRoles(platform),
        // The planner too: a tenant administrator must not widen or drop its denies.
        managedRoleNames: [names.peopleRole, names.workloadRole, names.planner],
        managedPolicyNames: [names.peopleBoundaryPolicy],
      },
    });
    this.account = account;
    if (platform.identityCenter && tenant.peopleGroupId !== undefined) {
      new TenantPeopleAccess(this, `${tenant.name}-people-access`, {
        instanceArn: platform.identityCenter.instanceArn,
        sessionHours: platform.identityCenter.sessionHours,
        permissionSetName: names.permissionSet,
        groupId: tenant.peopleGroupId,
        accountId: account.accountId,
        peopleRoleName: names.peopleRole,
        tags,
      });
    }
    new TenantBudget(this, `${tenant.name}-budget`, {
      budgetName: names.budget,
      accountBudgetName: names.accountBudget,
      accountId: account.accountId,
      tenantTag: { key: TAG.tenant, value: tenant.name },
      monthlyUsd: tenant.monthlyBudgetUsd,
      notify: [tenant.owner],
      tags,
    });

    // The one use of the organization's access role: through the management account's
    // pipeline role into the tenant account, to create the platform's deployer there. In
    // plan mode the tenant's read-only planner (created by the tenant stack).
    const pipeline = pipelineRoleNames(platform.name);
    const inAccount = awsAccountProvider(this, 'aws-tenant-account', {
      alias: 'tenant_account',
      region: platform.region,
      via: [managementAccountRoles(platform)],
      roleArn: { deploy: roleArn(account.accountId, platform.accountAccessRoleName), plan: roleArn(account.accountId, names.planner) },
      sessionName,
      tags,
    });
    new PipelineRole(this, 'deployer', {
      kind: 'deploy',
      roleName: pipeline.deployer,
      // Only the management account's deployer (exact ARN) chains in: the deploy jobs of this tenant's stack.
      chainFrom: [platform.deployRoles.management],
      provider: inAccount,
    });
  }
}
