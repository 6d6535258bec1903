/**
 * The CloudFormation template that gives every tenant account the platform's two pipeline
 * roles at vending: the deployer (AdministratorAccess, trusted only by the management
 * account's deployer) and the tenant's read-only planner (trusted only by the platform's
 * planners, with the planner's explicit denies). The trust and permission documents are the
 * ones `PipelineRole` gives the bootstrap roles (pipeline-policies.ts), so the same tests and
 * the isolation proof evaluate them; `tenantPipelineRoles` reads them back for one account.
 *
 * The account id and the planner's name (a stack instance parameter: it is named after the
 * tenant) are CloudFormation references, written as `Fn::Join` so that no `${` reaches
 * Terraform, which would read it as an interpolation.
 */
import type { PolicyDocument } from '../common/policy';
import { PIPELINE_ROLE_DESCRIPTION, PIPELINE_ROLE_MAX_SESSION_SECONDS, DEPLOYER_POLICY_ARN } from './pipeline-role';
import { pipelineTrustPolicy, plannerPolicy } from './pipeline-policies';

/** The stack instance parameter that names the tenant's planner. */
export const PLANNER_NAME_PARAMETER = 'PlannerRoleName';
/** Logical ids of the two roles in the template. */
export const TEMPLATE_ROLES = { deployer: 'Deployer', planner: 'Planner' } as const;

const ACCOUNT = '\uE000AWS::AccountId\uE000';
const PLANNER = `\uE000${PLANNER_NAME_PARAMETER}\uE000`;
const MARKER = /\uE000([A-Za-z:]+)\uE000/;

export interface TenantPipelineRolesTemplateProps {
  /** The deployer's name in every tenant account (`<platform>-deployer`). */
  readonly deployerName: string;
  /** Exact ARN of the management account's deployer: the only principal the tenant deployer trusts. */
  readonly managementDeployer: string;
  /** Exact ARNs of the platform's planners (management and platform accounts): the only principals the tenant planner trusts. */
  readonly platformPlanners: readonly string[];
  /** The Terraform state bucket, the one place the planner reads objects. */
  readonly stateBucket: string;
  /** Name of the planner's inline policy. */
  readonly plannerPolicyName: string;
}

export type CfnValue = string | number | boolean | readonly CfnValue[] | { readonly [key: string]: CfnValue };

/** Strings with markers become `Fn::Join` of their parts and `Ref`s; everything else stays. */
function withReferences(value: unknown): CfnValue {
  if (typeof value === 'string') {
    if (!MARKER.test(value)) return value;
    const parts = value
      .split(MARKER)
      .map((part, i) => (i % 2 === 1 ? { Ref: part } : part))
      .filter((part) => part !== '');
    return parts.length === 1 ? parts[0] : { 'Fn::Join': ['', parts] };
  }
  if (Array.isArray(value)) return value.map(withReferences);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withReferences(v)]));
  return value as CfnValue;
}

export function tenantPipelineRolesTemplate(props: TenantPipelineRolesTemplateProps): Record<string, CfnValue> {
  const errors: string[] = [];
  for (const arn of [props.managementDeployer, ...props.platformPlanners])
    if (arn.includes('*')) errors.push(`'${arn}' contains a wildcard: trust exact role ARNs only`);
  if (props.platformPlanners.length === 0) errors.push('the planner trusts no platform planner: nobody could plan');
  if (errors.length > 0) throw new Error(`tenant pipeline roles template: ${errors.join('; ')}`);
  const plannerArn = `arn:aws:iam::${ACCOUNT}:role/${PLANNER}`;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: "The ML platform's pipeline roles in a tenant account (deployed by the platform's StackSet; docs/accounts.md).",
    Parameters: {
      [PLANNER_NAME_PARAMETER]: {
        Type: 'String',
        AllowedPattern: '^[\\w+=,.@-]{1,64}$',
        Description: "The tenant's planner role name (<platform>-<tenant>-planner), set per stack instance.",
      },
    },
    Resources: withReferences({
      [TEMPLATE_ROLES.deployer]: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: props.deployerName,
          Description: PIPELINE_ROLE_DESCRIPTION.deploy,
          MaxSessionDuration: PIPELINE_ROLE_MAX_SESSION_SECONDS,
          AssumeRolePolicyDocument: pipelineTrustPolicy({ chainFrom: [props.managementDeployer] }),
          ManagedPolicyArns: [DEPLOYER_POLICY_ARN],
        },
      },
      [TEMPLATE_ROLES.planner]: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: PLANNER,
          Description: PIPELINE_ROLE_DESCRIPTION.plan,
          MaxSessionDuration: PIPELINE_ROLE_MAX_SESSION_SECONDS,
          AssumeRolePolicyDocument: pipelineTrustPolicy({ chainFrom: props.platformPlanners }),
          Policies: [{ PolicyName: props.plannerPolicyName, PolicyDocument: plannerPolicy({ stateBucket: props.stateBucket, plannerRoleArns: [plannerArn] }) }],
        },
      },
    }),
  };
}

/** One role of the template as it is in one account: the documents every check evaluates. */
export interface TemplateRole {
  readonly logicalId: string;
  readonly roleName: string;
  readonly trust: PolicyDocument;
  readonly inlinePolicies: readonly { readonly name: string; readonly document: PolicyDocument }[];
  readonly managedPolicyArns: readonly string[];
}

function resolveIn(value: unknown, refs: Readonly<Record<string, string>>, where: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIn(v, refs, where));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === 'Ref') {
    const name = String(record.Ref);
    if (refs[name] === undefined) throw new Error(`${where}: the template refers to '${name}', which has no value here`);
    return refs[name];
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => String(resolveIn(p, refs, where))).join(separator);
  }
  if (keys.some((k) => k.startsWith('Fn::'))) throw new Error(`${where}: the template uses ${keys.join(', ')}, which the checks cannot evaluate`);
  return Object.fromEntries(keys.map((k) => [k, resolveIn(record[k], refs, where)]));
}

/**
 * The IAM roles of a template as CloudFormation creates them in one account with the given
 * parameters. Throws, naming `where`, on a template it cannot read.
 */
export function tenantPipelineRoles(template: unknown, accountId: string, parameters: Readonly<Record<string, string>>, where: string): TemplateRole[] {
  const resources = (template as { Resources?: unknown } | null)?.Resources;
  if (resources === null || typeof resources !== 'object') throw new Error(`${where}: the template has no Resources`);
  const refs = { ...parameters, 'AWS::AccountId': accountId, 'AWS::Partition': 'aws' };
  return Object.entries(resources as Record<string, { Type?: unknown; Properties?: unknown }>)
    .filter(([, resource]) => resource?.Type === 'AWS::IAM::Role')
    .map(([logicalId, resource]) => {
      const p = resolveIn(resource.Properties ?? {}, refs, `${where} ${logicalId}`) as {
        RoleName?: unknown;
        AssumeRolePolicyDocument?: unknown;
        Policies?: { PolicyName?: unknown; PolicyDocument?: unknown }[];
        ManagedPolicyArns?: unknown[];
      };
      if (typeof p.RoleName !== 'string') throw new Error(`${where} ${logicalId}: the role has no literal RoleName`);
      return {
        logicalId,
        roleName: p.RoleName,
        trust: p.AssumeRolePolicyDocument as PolicyDocument,
        inlinePolicies: (p.Policies ?? []).map((policy) => ({ name: String(policy.PolicyName), document: policy.PolicyDocument as PolicyDocument })),
        managedPolicyArns: (p.ManagedPolicyArns ?? []).map(String),
      };
    });
}
