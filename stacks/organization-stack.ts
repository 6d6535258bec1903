/**
 * `organization` (management account): what the tenants share, the tenants' OU with its
 * service control policies and the cost allocation tags. Each tenant's account, budgets and
 * sign-in are in its own account stack (account-stack.ts): this stack does not grow with
 * the number of tenants.
 */
import type { Construct } from 'constructs';
import type { Platform } from '../config/model';
import { pipelineRoleNames, STACK } from '../config/names';
import { platformTags, TAG } from '../constructs/common/tags';
import { CostAllocationTags } from '../constructs/organization/cost-allocation-tags';
import { TenantOrganizationalUnit } from '../constructs/organization/tenant-organizational-unit';
import { TenantPipelineRolesStackSet } from '../constructs/organization/tenant-pipeline-roles';
import { PlatformStack } from './platform-stack';
import { awsAccountProvider, managementAccountRoles } from './providers';

export interface OrganizationStackProps {
  readonly platform: Platform;
}

export class OrganizationStack extends PlatformStack {
  readonly tenantOu: TenantOrganizationalUnit;
  readonly pipelineRoles: TenantPipelineRolesStackSet;

  constructor(scope: Construct, props: OrganizationStackProps) {
    super(scope, STACK.organization, props.platform);
    const { platform } = props;
    const tags = platformTags(platform.name, platform.tags);
    awsAccountProvider(this, 'aws', { region: platform.region, roleArn: managementAccountRoles(platform), sessionName: `${platform.name}-organization`, tags });
    this.tenantOu = new TenantOrganizationalUnit(this, 'tenant-ou', {
      parentId: platform.tenantOuParentId,
      name: platform.tenantOuName,
      platformName: platform.name,
      allowedRegions: platform.allowedRegions,
    });
    new CostAllocationTags(this, 'cost-allocation-tags', { tagKeys: [TAG.tenant, TAG.costCenter] });
    // The deployer and planner of every tenant account; each account stack adds its instance.
    const pipeline = pipelineRoleNames(platform.name);
    this.pipelineRoles = new TenantPipelineRolesStackSet(this, 'tenant-pipeline-roles', {
      stackSetName: pipeline.tenantRolesStackSet,
      deployerName: pipeline.deployer,
      managementDeployer: platform.deployRoles.management,
      platformPlanners: [platform.planRoles.management, platform.planRoles.platform],
      stateBucket: platform.state.bucket,
      plannerPolicyName: pipeline.plannerDenies,
      tags,
    });
    // The account stacks read the OU, its SCPs and the StackSet: declared up front, so the
    // first tenant (or the first adopted one) adds no byte here.
    for (const resource of this.tenantOu.exported) this.exportAttribute(resource, 'id');
    this.exportAttribute(this.pipelineRoles.stackSet, 'name');
  }
}
