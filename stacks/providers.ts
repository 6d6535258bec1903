/**
 * Provider configuration. AWS providers assume a role (never static credentials); the
 * kubernetes and helm providers authenticate with `aws eks get-token`, so no credential is
 * ever written into the synthesized files.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn, TerraformStack, TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * The Terraform variable that chooses the identity every provider of a stack assumes:
 * `plan` (the read-only planner roles) or `deploy` (the deployer roles). One synthesized
 * output serves both; the deploy job sets `TF_VAR_mode=deploy`, and anything that does not
 * (a pull-request plan, an offline plan, a mistaken local run) only reads.
 */
export const IDENTITY_MODE_VARIABLE = 'mode';
export const IDENTITY_MODES = ['plan', 'deploy'] as const;
export type IdentityMode = (typeof IDENTITY_MODES)[number];

/** A role per identity mode, in one account. */
export interface PipelineRoles {
  readonly deploy: string;
  readonly plan: string;
}

/** The stack's `mode` variable, declared once per stack. */
export function identityMode(scope: Construct): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(IDENTITY_MODE_VARIABLE);
  if (existing instanceof TerraformVariable) return existing;
  const variable = new TerraformVariable(stack, IDENTITY_MODE_VARIABLE, {
    type: 'string',
    default: 'plan',
    description: 'plan: assume the read-only planner roles; deploy: assume the deployer roles (the deploy job sets TF_VAR_mode=deploy).',
  });
  variable.addValidation({ condition: Fn.contains([...IDENTITY_MODES], variable.stringValue), errorMessage: 'mode must be "plan" or "deploy".' });
  return variable;
}

/**
 * The role ARN of the stack's identity mode: `lookup({deploy = ..., plan = ...}, var.mode, plan)`
 * (the variable's validation rejects any other mode; the default is the read-only role).
 */
export function pipelineRoleArn(scope: Construct, roles: PipelineRoles): string {
  if (roles.deploy === roles.plan) throw new Error(`the plan and deploy identities are the same role '${roles.deploy}': a plan would run with write access`);
  const mode = identityMode(scope);
  return Token.asString(Fn.lookup({ deploy: roles.deploy, plan: roles.plan }, mode.stringValue, roles.plan));
}

export interface AwsAccountProviderProps {
  readonly region: string;
  /** Role the provider assumes in the target account: one ARN, or one per identity mode. */
  readonly roleArn: string | PipelineRoles;
  readonly sessionName: string;
  readonly tags: Record<string, string>;
  /** Set for a second AWS provider in the same stack. @default the stack's default provider */
  readonly alias?: string;
  /**
   * Roles assumed first, in order, when the target role trusts only them (a tenant
   * account's access role trusts only the management account). @default none
   */
  readonly via?: readonly PipelineRoles[];
}

export function awsAccountProvider(scope: Construct, id: string, props: AwsAccountProviderProps): AwsProvider {
  return new AwsProvider(scope, id, {
    region: props.region,
    alias: props.alias,
    assumeRole: [
      ...(props.via ?? []).map((hop) => ({ roleArn: pipelineRoleArn(scope, hop), sessionName: props.sessionName })),
      { roleArn: typeof props.roleArn === 'string' ? props.roleArn : pipelineRoleArn(scope, props.roleArn), sessionName: props.sessionName },
    ],
    defaultTags: [{ tags: props.tags }],
  });
}

export interface ClusterConnection {
  readonly clusterName: string;
  readonly endpoint: string;
  /** Base64 PEM, as EKS returns it. */
  readonly certificateAuthorityData: string;
}

/** How both cluster providers reach the cluster: its endpoint and CA, and a token from `aws eks get-token`. */
function clusterAccess(scope: Construct, cluster: ClusterConnection, region: string, roles: PipelineRoles) {
  const roleArn = pipelineRoleArn(scope, roles);
  return {
    host: cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(cluster.certificateAuthorityData),
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', cluster.clusterName, '--region', region, '--role-arn', roleArn],
    },
  };
}

export function kubernetesProvider(scope: Construct, id: string, cluster: ClusterConnection, region: string, roles: PipelineRoles): KubernetesProvider {
  const access = clusterAccess(scope, cluster, region, roles);
  return new KubernetesProvider(scope, id, { ...access, exec: [access.exec] });
}

/** The helm provider (3.x), configured like the kubernetes provider. */
export function helmProvider(scope: Construct, id: string, cluster: ClusterConnection, region: string, roles: PipelineRoles): HelmProvider {
  return new HelmProvider(scope, id, { kubernetes: clusterAccess(scope, cluster, region, roles) });
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** The pipeline roles of the platform account and the management account, from platform.yaml. */
export function platformAccountRoles(platform: { deployRoles: { platform: string }; planRoles: { platform: string } }): PipelineRoles {
  return { deploy: platform.deployRoles.platform, plan: platform.planRoles.platform };
}

export function managementAccountRoles(platform: { deployRoles: { management: string }; planRoles: { management: string } }): PipelineRoles {
  return { deploy: platform.deployRoles.management, plan: platform.planRoles.management };
}
