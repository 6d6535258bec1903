/**
 * `organization` (management account): the tenants' OU with its service control policies,
 * the cost allocation tags, one account and two budgets per tenant. Adding a tenant adds
 * only that tenant's account and budgets here.
 */
import type { Construct } from 'constructs';
import type { Platform, Tenant } from '../config/model';
import { STACK, tenantNames } from '../config/names';
import { platformTags, TAG, tenantTags } from '../constructs/common/tags';
import { CostAllocationTags } from '../constructs/organization/cost-allocation-tags';
import { TenantAccount } from '../constructs/organization/tenant-account';
import { TenantBudget } from '../constructs/organization/tenant-budget';
import { TenantOrganizationalUnit } from '../constructs/organization/tenant-organizational-unit';
import { TenantPeopleAccess } from '../constructs/organization/tenant-people-access';
import { PlatformStack } from './platform-stack';
import { awsAccountProvider, managementAccountRoles } from './providers';

export interface OrganizationStackProps {
  readonly platform: Platform;
  readonly tenants: readonly Tenant[];
}

export class OrganizationStack extends PlatformStack {
  readonly tenantOu: TenantOrganizationalUnit;
  private readonly accounts = new Map<string, TenantAccount>();

  constructor(scope: Construct, props: OrganizationStackProps) {
    super(scope, STACK.organization, props.platform);
    const { platform } = props;
    awsAccountProvider(this, 'aws', {
      region: platform.region,
      roleArn: managementAccountRoles(platform),
      sessionName: `${platform.name}-organization`,
      tags: platformTags(platform.name, platform.tags),
    });
    this.tenantOu = new TenantOrganizationalUnit(this, 'tenant-ou', {
      parentId: platform.tenantOuParentId,
      name: platform.tenantOuName,
      platformName: platform.name,
      allowedRegions: platform.allowedRegions,
    });
    new CostAllocationTags(this, 'cost-allocation-tags', { tagKeys: [TAG.tenant, TAG.costCenter] });
    for (const tenant of props.tenants) {
      const names = tenantNames(platform.name, platform.platformAccountId, tenant.name);
      const tags = tenantTags(platform.name, tenant, platform.tags);
      const account = new TenantAccount(this, `${tenant.name}-account`, {
        spec: tenant.account,
        accountName: names.accountName,
        parentId: this.tenantOu.ouId,
        accessRoleName: platform.accountAccessRoleName,
        tags,
        serviceControlPolicyIds: this.tenantOu.policyIds,
        platformControls: {
          policyName: names.platformControlsPolicy,
          exemptRoleNames: [platform.accountAccessRoleName],
          // The planner too: a tenant administrator must not widen or drop its denies.
          managedRoleNames: [names.peopleRole, names.workloadRole, names.planner],
          managedPolicyNames: [names.peopleBoundaryPolicy],
        },
      });
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
      this.accounts.set(tenant.name, account);
      new TenantBudget(this, `${tenant.name}-budget`, {
        budgetName: names.budget,
        accountBudgetName: names.accountBudget,
        accountId: account.accountId,
        tenantTag: { key: TAG.tenant, value: tenant.name },
        monthlyUsd: tenant.monthlyBudgetUsd,
        notify: [tenant.owner],
        tags,
      });
    }
  }

  /** The tenant's account; its id is a cross-stack reference for vended accounts. */
  accountOf(tenantName: string): TenantAccount {
    const account = this.accounts.get(tenantName);
    if (!account) throw new Error(`no account for tenant '${tenantName}' in the organization stack`);
    return account;
  }
}
