/**
 * One of the pipeline's roles in one account: `deploy` (AdministratorAccess: it creates
 * roles, accounts and clusters) or `plan` (one inline policy: the reads a plan needs, and
 * explicit denies of every other action and of data reads). Trust: GitHub OIDC subjects and the exact pipeline roles of
 * the same kind that chain into it (pipeline-policies.ts).
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { renderPolicy } from '../common/policy';
import { pipelineTrustPolicy, plannerPolicy, type PipelineRoleKind } from './pipeline-policies';

export interface PipelineRoleProps {
  readonly kind: PipelineRoleKind;
  readonly roleName: string;
  /** The GitHub OIDC provider of the role's account. @default none: the role is reached by chaining only */
  readonly oidcProviderArn?: string;
  /** Exact GitHub `sub` claims trusted (githubSubjects). @default none */
  readonly subjects?: readonly string[];
  /** Exact ARNs of pipeline roles of the same kind that may chain into this one. @default none */
  readonly chainFrom?: readonly string[];
  /** Plan only: the state bucket, the one place it reads objects. */
  readonly stateBucket?: string;
  /** Plan only: the planner roles it may chain into (exact ARNs). */
  readonly plannerRoleArns?: readonly string[];
  /** Name of the planner's inline policy. */
  readonly deniesPolicyName?: string;
  /** Resources the role must wait for (the OIDC provider its trust names). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

export const DEPLOYER_POLICY_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const PIPELINE_ROLE_MAX_SESSION_SECONDS = 3600;
export const PIPELINE_ROLE_DESCRIPTION = {
  deploy: 'Applies the ML platform (main branch, deploy environment)',
  plan: 'Plans the ML platform read-only (pull requests)',
} as const;

export class PipelineRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: PipelineRoleProps) {
    super(scope, id);
    const errors: string[] = [];
    const subjects = props.subjects ?? [];
    if (subjects.length === 0 && !props.chainFrom?.length) errors.push('it trusts neither a GitHub subject nor a pipeline role: nobody could use it');
    if (subjects.length > 0 && !props.oidcProviderArn) errors.push('it trusts GitHub subjects but names no OIDC provider');
    if (subjects.some((s) => s.includes('*'))) errors.push('a trusted subject contains a wildcard: trust exact subjects only');
    if (props.chainFrom?.some((arn) => arn.includes('*'))) errors.push('a trusted role ARN contains a wildcard: trust exact ARNs only');
    if (props.kind === 'plan' && (!props.stateBucket || !props.plannerRoleArns?.length || !props.deniesPolicyName))
      errors.push('a plan role needs stateBucket, plannerRoleArns and deniesPolicyName for its explicit denies');
    if (errors.length > 0) throw new Error(`pipeline role '${props.roleName}': ${errors.join('; ')}`);
    const provider = props.provider;
    const role = new IamRole(this, 'role', {
      provider,
      name: props.roleName,
      description: PIPELINE_ROLE_DESCRIPTION[props.kind],
      maxSessionDuration: PIPELINE_ROLE_MAX_SESSION_SECONDS,
      assumeRolePolicy: renderPolicy(pipelineTrustPolicy({ oidcProviderArn: props.oidcProviderArn, subjects, chainFrom: props.chainFrom })),
      dependsOn: props.dependsOn,
    });
    if (props.kind === 'deploy') {
      new IamRolePolicyAttachment(this, 'managed-policy', { provider, role: role.name, policyArn: DEPLOYER_POLICY_ARN });
    } else {
      // Inline, not AWS's ReadOnlyAccess: its reads include data (and it changes without us).
      new IamRolePolicy(this, 'denies', {
        provider,
        role: role.name,
        name: props.deniesPolicyName ?? '',
        policy: renderPolicy(plannerPolicy({ stateBucket: props.stateBucket ?? '', plannerRoleArns: props.plannerRoleArns ?? [] })),
      });
    }
    this.roleArn = role.arn;
  }
}
