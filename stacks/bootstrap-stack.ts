/**
 * `bootstrap`: what an administrator applies once, before any pipeline run, from the
 * management account (docs/bootstrap.md): the Terraform state bucket (platform account),
 * and in both the management and platform accounts GitHub's OIDC identity provider, the
 * `deployer` and the read-only `planner` roles. It is outside the platform's stack set
 * (the pipeline never plans or applies it) and its state starts local, then moves into
 * the bucket it creates.
 */
import { S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { Platform } from '../config/model';
import { pipelineRoleNames } from '../config/names';
import { githubOidcProviderArn, githubSubjects } from '../constructs/bootstrap/pipeline-policies';
import { GitHubOidcProvider } from '../constructs/bootstrap/github-oidc-provider';
import { PipelineRole } from '../constructs/bootstrap/pipeline-role';
import { StateBucket } from '../constructs/bootstrap/state-bucket';
import { platformTags } from '../constructs/common/tags';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { awsAccountProvider, roleArn } from './providers';

export const BOOTSTRAP_STACK = 'bootstrap';

export interface BootstrapStackProps {
  readonly platform: Platform;
}

/** platform.yaml lacks what the bootstrap needs; the message lists every problem with its fix. */
export class BootstrapNotReady extends Error {}

type Account = 'management' | 'platform';
const ACCOUNTS: readonly Account[] = ['management', 'platform'];

/** Every reason the platform settings cannot be bootstrapped, each naming the field and the fix. */
export function bootstrapProblems(platform: Platform): string[] {
  const problems: string[] = [];
  if (!platform.github)
    problems.push(
      "platform.yaml: 'github' is missing; add github.repository (owner/name), and github.deployEnvironment / github.planEnvironment if not 'production' / 'plan'",
    );
  else if (platform.github.deployEnvironment === platform.github.planEnvironment)
    problems.push(
      `platform.yaml: github.deployEnvironment and github.planEnvironment are both '${platform.github.deployEnvironment}': a plan job would get the deployer; name two environments`,
    );
  const accountId: Record<Account, string> = { management: platform.managementAccountId, platform: platform.platformAccountId };
  const expected = pipelineRoleNames(platform.name);
  for (const account of ACCOUNTS) {
    for (const [field, arn, name] of [
      ['deployRoles', platform.deployRoles[account], expected.deployer],
      ['planRoles', platform.planRoles[account], expected.planner],
    ] as const) {
      if (arn !== roleArn(accountId[account], name))
        problems.push(`platform.yaml: ${field}.${account} is '${arn}'; the bootstrap stack creates '${roleArn(accountId[account], name)}': set it to that ARN`);
    }
  }
  return problems;
}

export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, BOOTSTRAP_STACK);
    const { platform } = props;
    const problems = bootstrapProblems(platform);
    if (problems.length > 0) throw new BootstrapNotReady(problems.join('\n'));
    const github = platform.github as NonNullable<Platform['github']>;
    // First apply with a local state (docs/bootstrap.md), then `terraform init -migrate-state`.
    new S3Backend(this, {
      bucket: platform.state.bucket,
      key: `${platform.state.keyPrefix}/${BOOTSTRAP_STACK}.tfstate`,
      region: platform.state.region,
      encrypt: true,
    });
    this.addOverride('terraform.backend.s3.use_lockfile', true);

    const tags = platformTags(platform.name, platform.tags);
    // The administrator's own session in the management account; the platform account is
    // reached through the organization's access role (it is a member account).
    const providers: Record<Account, AwsProvider> = {
      management: new AwsProvider(this, 'aws', { region: platform.state.region, defaultTags: [{ tags }] }),
      platform: awsAccountProvider(this, 'aws-platform', {
        alias: 'platform',
        region: platform.state.region,
        roleArn: roleArn(platform.platformAccountId, platform.accountAccessRoleName),
        sessionName: `${platform.name}-bootstrap`,
        tags,
      }),
    };
    const accountId: Record<Account, string> = { management: platform.managementAccountId, platform: platform.platformAccountId };
    const names = pipelineRoleNames(platform.name);
    const deployers = ACCOUNTS.map((a) => platform.deployRoles[a]);
    const planners = ACCOUNTS.map((a) => platform.planRoles[a]);

    for (const account of ACCOUNTS) {
      const provider = providers[account];
      const oidc = new GitHubOidcProvider(this, `${account}-github-oidc`, { provider });
      const oidcProviderArn = githubOidcProviderArn(accountId[account]);
      new PipelineRole(this, `${account}-deployer`, {
        provider,
        kind: 'deploy',
        roleName: names.deployer,
        oidcProviderArn,
        subjects: githubSubjects(github.repository, 'deploy', github),
        chainFrom: deployers,
        dependsOn: [oidc.resource],
      });
      new PipelineRole(this, `${account}-planner`, {
        provider,
        kind: 'plan',
        roleName: names.planner,
        oidcProviderArn,
        subjects: githubSubjects(github.repository, 'plan', github),
        chainFrom: planners,
        stateBucket: platform.state.bucket,
        // The tenant accounts' planners (`<name>-<tenant>-planner`, config/names.ts).
        plannerRoleArns: [...planners, `arn:aws:iam::*:role/${platform.name}-*-planner`],
        deniesPolicyName: names.plannerDenies,
        dependsOn: [oidc.resource],
      });
    }
    new StateBucket(this, 'state', {
      provider: providers.platform,
      bucketName: platform.state.bucket,
      // The platform account's access role stays a writer: the administrator's way in to move the bootstrap state and to repair.
      writers: [...deployers, roleArn(platform.platformAccountId, platform.accountAccessRoleName)],
      readers: planners,
    });
  }
}
