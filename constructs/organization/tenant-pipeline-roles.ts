/**
 * How the platform's pipeline roles get into every tenant account without ever using the
 * account's organization access role: a CloudFormation StackSet with service-managed
 * permissions (in the management account, one for all tenants), and one stack instance per
 * tenant account that the account's stack adds. StackSets acts in the account through its
 * service-linked role, which service control policies do not restrict, so no SCP needs an
 * exemption for it, and a vended and an adopted account are reached alike, through the
 * organization root filtered to that one account. Terraform waits for the instance, so the
 * roles exist before the tenant's stack first deploys.
 */
import { CloudformationStackSet } from '@cdktf/provider-aws/lib/cloudformation-stack-set';
import { CloudformationStackSetInstance } from '@cdktf/provider-aws/lib/cloudformation-stack-set-instance';
import { Construct } from 'constructs';
import { PLANNER_NAME_PARAMETER, tenantPipelineRolesTemplate, type TenantPipelineRolesTemplateProps } from '../bootstrap/tenant-pipeline-roles-template';

export interface TenantPipelineRolesStackSetProps extends TenantPipelineRolesTemplateProps {
  /** The StackSet's name (config/names.ts `tenantRolesStackSet`). */
  readonly stackSetName: string;
  readonly tags: Record<string, string>;
}

/** The StackSet (management account): the template, no stack instance of its own. */
export class TenantPipelineRolesStackSet extends Construct {
  readonly stackSet: CloudformationStackSet;
  readonly stackSetName: string;

  constructor(scope: Construct, id: string, props: TenantPipelineRolesStackSetProps) {
    super(scope, id);
    const { stackSetName, tags, ...template } = props;
    this.stackSet = new CloudformationStackSet(this, 'stack-set', {
      name: stackSetName,
      description: "The ML platform's deployer and planner in every tenant account (one stack instance per tenant account stack).",
      permissionModel: 'SERVICE_MANAGED',
      // Instances are added by each tenant's account stack, which passes the planner's name and waits for the roles.
      autoDeployment: { enabled: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      callAs: 'SELF',
      templateBody: JSON.stringify(tenantPipelineRolesTemplate(template)),
      tags,
      // AWS sets it for service-managed StackSets; the provider documents ignoring it.
      lifecycle: { ignoreChanges: ['administration_role_arn'] },
    });
    this.stackSetName = this.stackSet.name;
  }
}

export interface TenantPipelineRolesInstanceProps {
  /** The StackSet's name: a reference to the organization stack's StackSet, which orders the stacks. */
  readonly stackSetName: string;
  /** The organization root: an adopted account may sit in any OU, so the target is the root filtered to the account. */
  readonly organizationRootId: string;
  /** The tenant account (a literal id or a reference to the vended account). */
  readonly accountId: string;
  /** The region the stack instance lives in (IAM roles are global; one region is enough). */
  readonly region: string;
  /** `<platform>-<tenant>-planner`. */
  readonly plannerName: string;
}

/** The roles in one tenant account: its stack instance. */
export class TenantPipelineRolesInstance extends Construct {
  readonly instance: CloudformationStackSetInstance;

  constructor(scope: Construct, id: string, props: TenantPipelineRolesInstanceProps) {
    super(scope, id);
    this.instance = new CloudformationStackSetInstance(this, 'instance', {
      stackSetName: props.stackSetName,
      callAs: 'SELF',
      region: props.region,
      deploymentTargets: { organizationalUnitIds: [props.organizationRootId], accountFilterType: 'INTERSECTION', accounts: [props.accountId] },
      parameterOverrides: { [PLANNER_NAME_PARAMETER]: props.plannerName },
      // Fail the apply if the roles could not be created: the tenant stack must not run without them.
      operationPreferences: { failureToleranceCount: 0, maxConcurrentCount: 1 },
    });
  }
}
