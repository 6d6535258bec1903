/**
 * Trust and permissions of the pipeline's roles, as pure documents (tested with the IAM
 * evaluator, see test/constructs/bootstrap).
 *
 * - `deployer` is assumed by the deploy job (GitHub OIDC, subject = this repository's
 *   protected deploy environment, which GitHub restricts to the main branch) and by the
 *   other accounts' deployers (provider role chaining). It writes.
 * - `planner` is assumed by pull-request jobs (subject = this repository's pull requests)
 *   and by the other accounts' planners. It reads configuration, never data: its explicit
 *   denies hold even if a broader allow is attached to it later.
 *
 * Chaining is granted by exact role ARNs (`aws:PrincipalArn`), never by name pattern, and a
 * planner is never trusted by a deployer: a pull request cannot reach a write identity.
 */
import { policyDocument, type PolicyDocument, type PolicyStatement } from '../common/policy';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** Audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

export type PipelineRoleKind = 'deploy' | 'plan';

export function githubOidcProviderArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/**
 * The `sub` claim a role trusts: a job of one GitHub environment of this repository (a job
 * with `environment:` gets `repo:<repo>:environment:<env>`, whatever its branch or event).
 * Deploy: the deploy environment, which GitHub restricts to the main branch. Plan: the plan
 * environment, whose required reviewers approve a pull request's plan before its job gets
 * any credential (the job runs the pull request's code). A bare pull-request or branch job,
 * and any fork (its runs carry the fork's name), gets neither. Protection rules:
 * docs/bootstrap.md.
 */
export function githubSubjects(
  repository: string,
  kind: PipelineRoleKind,
  environments: { readonly deployEnvironment: string; readonly planEnvironment: string },
): string[] {
  return [`repo:${repository}:environment:${kind === 'deploy' ? environments.deployEnvironment : environments.planEnvironment}`];
}

export interface PipelineTrustProps {
  /** The GitHub OIDC provider in the role's own account. @default none (chaining only) */
  readonly oidcProviderArn?: string;
  /** Exact `sub` claims (githubSubjects). @default none */
  readonly subjects?: readonly string[];
  /** Pipeline roles of the same kind that may chain into this one, by exact ARN. @default none */
  readonly chainFrom?: readonly string[];
}

function accountOfRoleArn(arn: string): string {
  const account = arn.split(':')[4];
  if (!/^\d{12}$/.test(account ?? '')) throw new Error(`'${arn}' is not an IAM role ARN with an account id`);
  return account;
}

export function pipelineTrustPolicy(props: PipelineTrustProps): PolicyDocument {
  const statements: PolicyStatement[] = [];
  const subjects = props.subjects ?? [];
  if (props.oidcProviderArn && subjects.length > 0) {
    statements.push({
      Sid: 'GitHubActions',
      Effect: 'Allow',
      Principal: { Federated: props.oidcProviderArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: [...subjects] } },
    });
  }
  const chain = props.chainFrom ?? [];
  if (chain.length > 0) {
    // Account roots plus the exact principal ARN: naming the roles themselves would fail
    // while one does not exist yet (IAM checks role principals), and a role may name itself.
    const accounts = [...new Set(chain.map(accountOfRoleArn))].map((account) => `arn:aws:iam::${account}:root`);
    statements.push({
      Sid: 'PipelineRoleChain',
      Effect: 'Allow',
      Principal: { AWS: accounts.length === 1 ? accounts[0] : accounts },
      Action: 'sts:AssumeRole',
      Condition: { ArnEquals: { 'aws:PrincipalArn': [...chain] } },
    });
  }
  return policyDocument(...statements);
}

/**
 * Reads that return data rather than configuration. Denied to the planner everywhere but
 * the Terraform state objects it must read to plan.
 */
export const DATA_READ_ACTIONS = {
  objects: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectTorrent', 's3:GetObjectVersionTorrent'],
  /** Object names are data too. */
  listing: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads'],
  other: [
    'kms:Decrypt',
    'kms:GenerateDataKey',
    'kms:GenerateDataKeyWithoutPlaintext',
    'kms:ReEncryptFrom',
    'secretsmanager:GetSecretValue',
    'ssm:GetParameter',
    'ssm:GetParameters',
    'ssm:GetParametersByPath',
    'ssm:GetParameterHistory',
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'sqs:ReceiveMessage',
    'logs:GetLogEvents',
    'logs:FilterLogEvents',
    'logs:StartQuery',
    'ecr:GetDownloadUrlForLayer',
    'ecr:BatchGetImage',
    'ecr:GetAuthorizationToken',
    'ec2:GetPasswordData',
    'ec2:GetConsoleOutput',
    'ec2:GetConsoleScreenshot',
    'lambda:GetFunction',
    'athena:GetQueryResults',
    'kinesis:GetRecords',
    'cloudtrail:LookupEvents',
    'sts:GetSessionToken',
    'sts:GetFederationToken',
  ],
} as const;

/**
 * Everything the planner may call: reads of the services the platform's stacks use (a
 * Terraform refresh needs no more). Anything else, every write included, is explicitly
 * denied. A new resource type in a stack may need its service's reads added here.
 */
export const PLAN_READ_ACTIONS = [
  'sts:AssumeRole',
  'sts:GetCallerIdentity',
  'autoscaling:Describe*',
  'budgets:Describe*',
  'budgets:View*',
  'budgets:ListTagsForResource',
  'ce:Describe*',
  'ce:Get*',
  'ce:List*',
  // The tenant pipeline roles' StackSet and its instances (organization and account stacks).
  'cloudformation:Describe*',
  'cloudformation:List*',
  'cloudformation:GetTemplate',
  'cloudformation:GetTemplateSummary',
  'cloudwatch:Describe*',
  'cloudwatch:Get*',
  'cloudwatch:List*',
  'ec2:Describe*',
  'ec2:Get*',
  'ecr:Describe*',
  'ecr:GetLifecyclePolicy',
  'ecr:GetRepositoryPolicy',
  'ecr:List*',
  'eks:Describe*',
  'eks:List*',
  'events:Describe*',
  'events:List*',
  'iam:Get*',
  'iam:List*',
  'identitystore:Describe*',
  'identitystore:List*',
  'kms:Describe*',
  'kms:Get*',
  'kms:List*',
  'logs:Describe*',
  'logs:ListTagsForResource',
  'logs:ListTagsLogGroup',
  'organizations:Describe*',
  'organizations:List*',
  's3:Get*',
  's3:List*',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:List*',
  'sso:Describe*',
  'sso:Get*',
  'sso:List*',
  // The tenant metrics export: its state machine (the provider validates a changed definition with the API while planning) and the tenants' schedules.
  'states:DescribeStateMachine',
  'states:ListStateMachineVersions',
  'states:ListStateMachineAliases',
  'states:ListTagsForResource',
  'states:ValidateStateMachineDefinition',
  'scheduler:GetSchedule',
  'scheduler:ListTagsForResource',
  'tag:Get*',
] as const;

export interface PlannerDeniesProps {
  /** The Terraform state bucket: its objects are the only data the planner reads. */
  readonly stateBucket: string;
  /** The planner roles it may chain into, by exact ARN; every other role is denied. */
  readonly plannerRoleArns: readonly string[];
}

/**
 * The planner's whole policy: the reads a plan needs, and explicit denies of every other
 * action, of data reads, and of chaining into anything but a planner. The denies hold even
 * if a broader allow is attached to the role later.
 */
export function plannerPolicy(props: PlannerDeniesProps): PolicyDocument {
  return policyDocument(
    { Sid: 'ReadConfiguration', Effect: 'Allow', Action: [...PLAN_READ_ACTIONS], Resource: '*' },
    { Sid: 'DenyEverythingButReads', Effect: 'Deny', NotAction: [...PLAN_READ_ACTIONS], Resource: '*' },
    { Sid: 'DenyDataReads', Effect: 'Deny', Action: [...DATA_READ_ACTIONS.other], Resource: '*' },
    { Sid: 'DenyObjectReadsOutsideState', Effect: 'Deny', Action: [...DATA_READ_ACTIONS.objects], NotResource: `arn:aws:s3:::${props.stateBucket}/*` },
    { Sid: 'DenyObjectListingOutsideState', Effect: 'Deny', Action: [...DATA_READ_ACTIONS.listing], NotResource: `arn:aws:s3:::${props.stateBucket}` },
    { Sid: 'DenyAssumingAnythingButPlanners', Effect: 'Deny', Action: 'sts:AssumeRole', NotResource: [...props.plannerRoleArns] },
  );
}

export interface StateBucketPolicyProps {
  readonly bucket: string;
  /** Roles that read and write state (the deployers and the administrator's break-glass role). */
  readonly writers: readonly string[];
  /** Roles that only read state (the planners). */
  readonly readers: readonly string[];
}

/**
 * TLS only; objects readable by the pipeline's roles only and writable by the deployers
 * only, whatever their identity policies grant (the bucket is in the platform account,
 * whose other roles must not read the state: it holds every stack's attributes).
 */
export function stateBucketPolicy(props: StateBucketPolicyProps): PolicyDocument {
  const bucketArn = `arn:aws:s3:::${props.bucket}`;
  const objects = `${bucketArn}/*`;
  const all = [...props.writers, ...props.readers];
  const crossAccount = [...new Set(all.map(accountOfRoleArn))].map((account) => `arn:aws:iam::${account}:root`);
  return policyDocument(
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, objects],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'DenyObjectReadsButPipeline',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: objects,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': all } },
    },
    {
      Sid: 'DenyObjectWritesButDeployers',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      Resource: objects,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [...props.writers] } },
    },
    {
      Sid: 'PipelineReadsState',
      Effect: 'Allow',
      Principal: { AWS: crossAccount.length === 1 ? crossAccount[0] : crossAccount },
      Action: ['s3:ListBucket', 's3:GetObject', 's3:GetObjectVersion'],
      Resource: [bucketArn, objects],
      Condition: { ArnEquals: { 'aws:PrincipalArn': all } },
    },
    {
      Sid: 'DeployersWriteState',
      Effect: 'Allow',
      Principal: { AWS: crossAccount.length === 1 ? crossAccount[0] : crossAccount },
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: objects,
      Condition: { ArnEquals: { 'aws:PrincipalArn': [...props.writers] } },
    },
  );
}
