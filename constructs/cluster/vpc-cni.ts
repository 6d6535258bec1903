import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { POD_IDENTITY_PRINCIPAL, POD_IDENTITY_TRUST_ACTIONS, ServiceRole } from '../common/service-role';

/** What the VPC CNI needs to attach network interfaces and assign pod addresses. */
export const VPC_CNI_MANAGED_POLICY = 'AmazonEKS_CNI_Policy';
/** The CNI's service account in kube-system (the `aws-node` DaemonSet). */
export const VPC_CNI_SERVICE_ACCOUNT = 'aws-node';

/**
 * The VPC CNI's configuration: the network policy agent on, so the NetworkPolicies of every
 * tenant namespace are enforced (the add-on ignores them without it).
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: 'true' } as const;

/** True when an add-on's `configuration_values` (as synthesized) turn the network policy agent on. */
export function enforcesNetworkPolicies(configurationValues: unknown): boolean {
  if (typeof configurationValues !== 'string') return false;
  try {
    const values: unknown = JSON.parse(configurationValues);
    return (
      typeof values === 'object' && values !== null && (values as Record<string, unknown>).enableNetworkPolicy === VPC_CNI_CONFIGURATION.enableNetworkPolicy
    );
  } catch {
    return false;
  }
}

export interface VpcCniRoleProps {
  readonly roleName: string;
}

/**
 * The VPC CNI's own role, which it receives through EKS Pod Identity: node roles no longer
 * carry AmazonEKS_CNI_Policy, so a compromised node cannot reassign the platform account's
 * pod addresses.
 */
export class VpcCniRole extends Construct {
  readonly roleArn: string;
  readonly attachment: ITerraformDependable;

  constructor(scope: Construct, id: string, props: VpcCniRoleProps) {
    super(scope, id);
    const role = new ServiceRole(this, 'role', {
      roleName: props.roleName,
      service: POD_IDENTITY_PRINCIPAL,
      trustActions: POD_IDENTITY_TRUST_ACTIONS,
      managedPolicies: [VPC_CNI_MANAGED_POLICY],
      description: 'VPC CNI (aws-node) through EKS Pod Identity',
    });
    this.roleArn = role.roleArn;
    this.attachment = role.attachments[0];
  }

  /** The add-on's arguments that turn enforcement on and hand it this role. */
  addonArguments() {
    return {
      configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
      podIdentityAssociation: [{ roleArn: this.roleArn, serviceAccount: VPC_CNI_SERVICE_ACCOUNT }],
    };
  }
}
