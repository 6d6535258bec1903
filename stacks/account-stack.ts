/**
 * `account-<tenant>` (management account): one tenant's account, vended or adopted, with its
 * own `platform-controls` SCP, its two budgets and its Identity Center sign-in, and the
 * platform's deployer and planner in the account (a stack instance of the organization's
 * StackSet). One small stack per tenant, so that no stack grows with the number of tenants
 * and a one-tenant change touches only that tenant's stacks. Every resource here is in the
 * management account: nothing assumes a role in the tenant account, the access role least of all.
 */
import { dependable } from 'cdktf';
import type { Construct } from 'constructs';
import type { Platform, Tenant } from '../config/model';
import { pipelineRoleNames, tenantNames } from '../config/names';
import { TAG, tenantTags } from '../constructs/common/tags';
import { TenantAccount } from '../constructs/organization/tenant-account';
import { TenantBudget } from '../constructs/organization/tenant-budget';
import type { TenantOrganizationalUnit } from '../constructs/organization/tenant-organizational-unit';
import { TenantPeopleAccess } from '../constructs/organization/tenant-people-access';
import { TenantPipelineRolesInstance, type TenantPipelineRolesStackSet } from '../constructs/organization/tenant-pipeline-roles';
import { PlatformStack } from './platform-stack';
import { awsAccountProvider, managementAccountRoles } from './providers';

export interface AccountStackProps {
  readonly platform: Platform;
  readonly tenant: Tenant;
  /** The tenants' OU of the organization stack (its id and SCP ids are cross-stack references). */
  readonly tenantOu: TenantOrganizationalUnit;
  /** The organization stack's StackSet of the tenant pipeline roles (its name is a cross-stack reference). */
  readonly pipelineRoles: TenantPipelineRolesStackSet;
}

/**
 * The platform's own roles in a tenant account that are exempt from its platform-controls
 * SCP: the platform's deployer only. The organization's access role is not among them: in
 * an adopted account its previous owner made it, and the platform never uses it.
 */
export function tenantAccountExemptRoles(platform: Platform): string[] {
  return [pipelineRoleNames(platform.name).deployer];
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
        managedRoleNames: [names.peopleRole, names.workloadRole, names.planner, names.metricsWriterRole],
        managedPolicyNames: [names.peopleBoundaryPolicy],
        // The StackSet's stack in the account: deleting or updating it would delete or change the pipeline roles.
        managedStackSetNames: [pipelineRoleNames(platform.name).tenantRolesStackSet],
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

    // The deployer and the planner, created in the account by StackSets as soon as it is
    // vended (or adopted), before the tenant stack's first deploy.
    const roles = new TenantPipelineRolesInstance(this, 'pipeline-roles', {
      stackSetName: props.pipelineRoles.stackSetName,
      organizationRootId: platform.organizationRootId,
      accountId: account.accountId,
      region: platform.region,
      plannerName: names.planner,
    });
    // The SCP exempts the deployer by name: attached only once the platform's deployer is the
    // role of that name (CloudFormation fails on a role an adopted account's owner planted first).
    if (account.platformControlsAttachment) account.platformControlsAttachment.dependsOn = [dependable(roles.instance)];
  }
}
