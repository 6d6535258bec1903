import { OrganizationsOrganizationalUnit } from '@cdktf/provider-aws/lib/organizations-organizational-unit';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import type { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { renderPolicy } from '../common/policy';
import { regionAllowListPolicy, tenantGuardrailsPolicy } from './service-control-policies';

export interface TenantOrganizationalUnitProps {
  /** Organization root (`r-...`) or OU (`ou-...`) the tenants' OU is created under. */
  readonly parentId: string;
  /** @default 'Tenants' (set in config/model.ts) */
  readonly name: string;
  readonly platformName: string;
  readonly allowedRegions: readonly string[];
}

/** The OU every tenant account lives in, with the service control policies that guard it. */
export class TenantOrganizationalUnit extends Construct {
  readonly ouId: string;
  /** The service control policies by their key (`guardrails`, `regions`), for accounts that stay outside the OU (adopted accounts). */
  readonly policyIds: Record<string, string> = {};
  /** The OU and its policies, whose ids other stacks read. */
  readonly exported: TerraformResource[] = [];

  constructor(scope: Construct, id: string, props: TenantOrganizationalUnitProps) {
    super(scope, id);
    const ou = new OrganizationsOrganizationalUnit(this, 'ou', { name: props.name, parentId: props.parentId });
    this.ouId = ou.id;
    this.exported.push(ou);
    const policies = {
      guardrails: {
        description: 'Tenant guardrails: stay in the organization, no root user, no IAM users or access keys.',
        document: tenantGuardrailsPolicy(),
      },
      regions: {
        description: 'Tenant guardrails: only the platform allow-listed regions.',
        document: regionAllowListPolicy({ allowedRegions: props.allowedRegions }),
      },
    };
    for (const [key, policy] of Object.entries(policies)) {
      const scp = new OrganizationsPolicy(this, `scp-${key}`, {
        name: `${props.platformName}-tenant-${key}`,
        description: policy.description,
        type: 'SERVICE_CONTROL_POLICY',
        content: renderPolicy(policy.document),
      });
      new OrganizationsPolicyAttachment(this, `scp-${key}-attachment`, { policyId: scp.id, targetId: ou.id });
      this.policyIds[key] = scp.id;
      this.exported.push(scp);
    }
  }
}
