/**
 * One of the pipeline's roles in one account: `deploy` (AdministratorAccess: it creates
 * roles, accounts and clusters) or `plan` (ReadOnlyAccess plus explicit denies of every
 * non-read and of data reads). Trust: GitHub OIDC subjects and the exact pipeline roles of
 * the same kind that chain into it (pipeline-policies.ts).
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { renderPolicy } from '../common/policy';
import { pipelineTrustPolicy, plannerDeniesPolicy, type PipelineRoleKind } from './pipeline-policies';

export interface PipelineRoleProps {
  readonly kind: PipelineRoleKind;
  readonly roleName: string;
  readonly oidcProviderArn: string;
  /** Exact GitHub `sub` claims trusted (githubSubjects). */
  readonly subjects: readonly string[];
  /** Exact ARNs of pipeline roles of the same kind that may chain into this one. @default none */
  readonly chainFrom?: readonly string[];
  /** Plan only: the state bucket, the one place it reads objects. */
  readonly stateBucket?: string;
  /** Plan only: the planner roles it may chain into (exact ARNs). */
  readonly plannerRoleArns?: readonly string[];
  /** Inline policy name of the planner's denies. */
  readonly deniesPolicyName?: string;
  /** Resources the role must wait for (the OIDC provider its trust names). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

const MANAGED_POLICY: Record<PipelineRoleKind, string> = {
  deploy: 'arn:aws:iam::aws:policy/AdministratorAccess',
  plan: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
};

export class PipelineRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: PipelineRoleProps) {
    super(scope, id);
    const errors: string[] = [];
    if (props.subjects.length === 0) errors.push('it trusts no GitHub subject');
    if (props.subjects.some((s) => s.includes('*'))) errors.push('a trusted subject contains a wildcard: trust exact subjects only');
    if (props.kind === 'plan' && (!props.stateBucket || !props.plannerRoleArns?.length || !props.deniesPolicyName))
      errors.push('a plan role needs stateBucket, plannerRoleArns and deniesPolicyName for its explicit denies');
    if (errors.length > 0) throw new Error(`pipeline role '${props.roleName}': ${errors.join('; ')}`);
    const provider = props.provider;
    const role = new IamRole(this, 'role', {
      provider,
      name: props.roleName,
      description: props.kind === 'deploy' ? 'Applies the ML platform (main branch, deploy environment)' : 'Plans the ML platform read-only (pull requests)',
      maxSessionDuration: 3600,
      assumeRolePolicy: renderPolicy(pipelineTrustPolicy({ oidcProviderArn: props.oidcProviderArn, subjects: props.subjects, chainFrom: props.chainFrom })),
      dependsOn: props.dependsOn,
    });
    new IamRolePolicyAttachment(this, 'managed-policy', { provider, role: role.name, policyArn: MANAGED_POLICY[props.kind] });
    if (props.kind === 'plan') {
      new IamRolePolicy(this, 'denies', {
        provider,
        role: role.name,
        name: props.deniesPolicyName ?? '',
        policy: renderPolicy(plannerDeniesPolicy({ stateBucket: props.stateBucket ?? '', plannerRoleArns: props.plannerRoleArns ?? [] })),
      });
    }
    this.roleArn = role.arn;
  }
}
