import { OrganizationsAccount } from '@cdktf/provider-aws/lib/organizations-account';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { Construct } from 'constructs';
import type { TenantAccount as TenantAccountSpec } from '../../config/model';
import { renderPolicy } from '../common/policy';
import { platformControlsPolicy, type PlatformControlsProps } from './platform-controls';

export interface TenantAccountProps {
  /** Vend a new member account, or adopt an existing one by id. */
  readonly spec: TenantAccountSpec;
  /** Name of the account in the organization. */
  readonly accountName: string;
  /** OU the vended account is placed in. */
  readonly parentId: string;
  /** Role AWS Organizations creates in a vended account for the platform to assume. */
  readonly accessRoleName: string;
  readonly tags: Record<string, string>;
  /**
   * Service control policies of the tenants' OU. A vended account gets them from the OU; an
   * adopted account stays where it is in the organization, so they are attached to it directly.
   * @default none
   */
  readonly serviceControlPolicyIds?: Readonly<Record<string, string>>;
  /**
   * The account's own SCP that keeps its platform-managed parts the platform's (see platform-controls.ts).
   * @default none
   */
  readonly platformControls?: Omit<PlatformControlsProps, 'accountId'> & { readonly policyName: string };
}

/**
 * A tenant's own AWS account, the unit of isolation. A vended account is never closed or
 * destroyed by Terraform: `close_on_deletion` is off and `prevent_destroy` is on, so
 * offboarding is a deliberate, documented manual step.
 */
export class TenantAccount extends Construct {
  /** The account id: a reference to the vended account, or the adopted id. */
  readonly accountId: string;
  readonly vended: boolean;
  /** The attachment of the account's platform-controls SCP, when it has one (its stack may order it after the platform's roles). */
  platformControlsAttachment?: OrganizationsPolicyAttachment;

  constructor(scope: Construct, id: string, props: TenantAccountProps) {
    super(scope, id);
    if (props.spec.kind === 'adopted') {
      this.accountId = props.spec.id;
      this.vended = false;
      // Keyed by the policy's name, not its position: adding a policy readdresses nothing.
      for (const [key, policyId] of Object.entries(props.serviceControlPolicyIds ?? {})) {
        new OrganizationsPolicyAttachment(this, `scp-${key}`, { policyId, targetId: this.accountId });
      }
      this.attachPlatformControls(props);
      return;
    }
    const account = new OrganizationsAccount(this, 'account', {
      name: props.accountName,
      email: props.spec.email,
      parentId: props.parentId,
      roleName: props.accessRoleName,
      closeOnDeletion: false,
      iamUserAccessToBilling: 'DENY',
      tags: props.tags,
      // role_name is not readable after creation; AWS documents ignoring it.
      lifecycle: { preventDestroy: true, ignoreChanges: ['role_name'] },
    });
    this.accountId = account.id;
    this.vended = true;
    this.attachPlatformControls(props);
  }

  private attachPlatformControls(props: TenantAccountProps): void {
    if (!props.platformControls) return;
    const { policyName, ...controls } = props.platformControls;
    const policy = new OrganizationsPolicy(this, 'platform-controls', {
      name: policyName,
      description:
        "Only the platform's own roles change this tenant account's platform-managed roles, identity providers, bucket and key policies and security services.",
      type: 'SERVICE_CONTROL_POLICY',
      content: renderPolicy(platformControlsPolicy({ ...controls, accountId: this.accountId })),
    });
    this.platformControlsAttachment = new OrganizationsPolicyAttachment(this, 'platform-controls-attachment', {
      policyId: policy.id,
      targetId: this.accountId,
    });
  }
}
