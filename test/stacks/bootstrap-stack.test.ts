/**
 * The bootstrap stack's roles and state bucket, evaluated on the synthesized output with
 * the IAM evaluator: who can assume each role (GitHub subjects, role chaining), what the
 * planner can do even with everything else allowed, and who can read or write the state.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { HclError, evaluateTemplate } from '../../kernel/hcl';
import { decide } from '../../proof/simulate';
import { BootstrapNotReady } from '../../stacks/bootstrap-stack';
import { synthesizeBootstrap } from '../../synth/bootstrap';
import { PLATFORM_FILE, tempDir } from '../support/config-fixtures';
import { bodies, single, type StackJson } from '../support/synth';

const MGMT = '111111111111';
const PLAT = '222222222222';
const TENANT = '444455556666';
const REPO = 'example-org/ml-platform';
const STATE = 'mlp-terraform-state-222222222222';
const HOST = 'token.actions.githubusercontent.com';
const arn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

type Doc = Simulation['identityPolicies'][number]['policy'];

/** The policy a synthesized `jsonencode(...)` attribute evaluates to; it must hold no reference. */
function literal(text: string): Doc {
  const value = evaluateTemplate(text, {
    reference: (r) => {
      throw new HclError(`unexpected reference ${r.root}`);
    },
  });
  return JSON.parse(String(value)) as Doc;
}

let stack: StackJson;
let outdir: string;
beforeAll(() => {
  outdir = path.join(tempDir('mlp-bootstrap-'), 'out');
  stack = JSON.parse(readFileSync(synthesizeBootstrap(PLATFORM_FILE, outdir), 'utf8')) as StackJson;
});

const trustOf = (id: string) => literal(single(stack, 'aws_iam_role', `${id}/role`).assume_role_policy);
const plannerDenies = (account: string) => literal(single(stack, 'aws_iam_role_policy', `${account}-planner/denies`).policy);

function webIdentity(account: string, role: string, claims: { sub: string; aud?: string }): Simulation {
  return {
    request: {
      principal: `arn:aws:iam::${account}:oidc-provider/${HOST}`,
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: arn(account, role), accountId: account },
      contextVariables: { [`${HOST}:sub`]: claims.sub, [`${HOST}:aud`]: claims.aud ?? 'sts.amazonaws.com' },
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trustOf(`${account === MGMT ? 'management' : 'platform'}-${role.replace('mlp-', '')}`),
  };
}

function chain(callerArn: string, targetAccount: string, target: 'deployer' | 'planner', callerPolicies: Doc[] = [ALLOW_ALL]): Simulation {
  const [, , , , account, resource] = callerArn.split(':');
  return {
    request: {
      principal: `arn:aws:sts::${account}:assumed-role/${resource.split('/')[1]}/s`,
      action: 'sts:AssumeRole',
      resource: { resource: arn(targetAccount, `mlp-${target}`), accountId: targetAccount },
      contextVariables: { 'aws:PrincipalArn': callerArn, 'aws:PrincipalAccount': account },
    },
    identityPolicies: callerPolicies.map((policy, i) => ({ name: `p${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trustOf(`${targetAccount === MGMT ? 'management' : 'platform'}-${target}`),
  };
}

describe('who can assume the pipeline roles', () => {
  const deploySub = `repo:${REPO}:environment:production`;
  const prSub = `repo:${REPO}:pull_request`;
  const planSub = `repo:${REPO}:environment:plan`;

  test.each([MGMT, PLAT])('account %s: the deploy environment assumes the deployer, a pull request does not', (account) => {
    expect(decide(webIdentity(account, 'mlp-deployer', { sub: deploySub }))).toBe('Allowed');
    expect(decide(webIdentity(account, 'mlp-deployer', { sub: prSub }))).toBe('ImplicitlyDenied');
  });

  test.each([
    ['a branch push outside the environment', `repo:${REPO}:ref:refs/heads/main`],
    ['a pull request branch', `repo:${REPO}:ref:refs/heads/feature`],
    ['another environment', `repo:${REPO}:environment:staging`],
    ['a fork with the same environment name', `repo:attacker/ml-platform:environment:production`],
  ])('%s cannot assume the deployer', (_what, sub) => {
    expect(decide(webIdentity(PLAT, 'mlp-deployer', { sub }))).toBe('ImplicitlyDenied');
  });

  test('a token for another audience cannot assume the deployer', () => {
    expect(decide(webIdentity(PLAT, 'mlp-deployer', { sub: deploySub, aud: 'https://example.com' }))).toBe('ImplicitlyDenied');
  });

  test.each([MGMT, PLAT])(
    'account %s: an approved plan job (plan environment) assumes the planner; an unapproved pull request, a fork or the deploy job does not',
    (account) => {
      expect(decide(webIdentity(account, 'mlp-planner', { sub: planSub }))).toBe('Allowed');
      expect(decide(webIdentity(account, 'mlp-planner', { sub: prSub }))).toBe('ImplicitlyDenied');
      expect(decide(webIdentity(account, 'mlp-planner', { sub: 'repo:attacker/ml-platform:environment:plan' }))).toBe('ImplicitlyDenied');
      expect(decide(webIdentity(account, 'mlp-deployer', { sub: planSub }))).toBe('ImplicitlyDenied');
    },
  );

  test('deployers chain into each other (and themselves), as the providers do', () => {
    expect(decide(chain(arn(PLAT, 'mlp-deployer'), MGMT, 'deployer'))).toBe('Allowed');
    expect(decide(chain(arn(PLAT, 'mlp-deployer'), PLAT, 'deployer'))).toBe('Allowed');
    expect(decide(chain(arn(MGMT, 'mlp-deployer'), PLAT, 'deployer'))).toBe('Allowed');
  });

  test('a planner never reaches a deployer: neither trust nor its own denies allow it', () => {
    expect(decide(chain(arn(PLAT, 'mlp-planner'), MGMT, 'deployer'))).toBe('ImplicitlyDenied');
    expect(decide(chain(arn(PLAT, 'mlp-planner'), PLAT, 'deployer'))).toBe('ImplicitlyDenied');
    // With its real policies and a trust that let it in, its own denies still stop it.
    expect(decide({ ...chain(arn(PLAT, 'mlp-planner'), MGMT, 'deployer', [ALLOW_ALL, plannerDenies('platform')]), resourcePolicy: ALLOW_ALL_TRUST })).toBe(
      'ExplicitlyDenied',
    );
    expect(decide(chain(arn(PLAT, 'mlp-planner'), MGMT, 'planner', [ALLOW_ALL, plannerDenies('platform')]))).toBe('Allowed');
  });

  test('another role of the platform account, even an administrator, cannot assume a pipeline role', () => {
    expect(decide(chain(arn(PLAT, 'mlp-platform-admin'), PLAT, 'deployer'))).toBe('ImplicitlyDenied');
    expect(decide(chain(arn(PLAT, 'mlp-platform-admin'), MGMT, 'planner'))).toBe('ImplicitlyDenied');
  });
});

const ALLOW_ALL_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Resource: '*' }] };

describe('what the planner can do, even if everything else were allowed to it', () => {
  function planner(action: string, resource: string, account = PLAT, broad = true): Simulation {
    return {
      request: {
        principal: `arn:aws:sts::${account}:assumed-role/mlp-planner/s`,
        action,
        resource: { resource, accountId: account },
        contextVariables: { 'aws:PrincipalArn': arn(account, 'mlp-planner'), 'aws:PrincipalAccount': account, 'aws:SecureTransport': 'true' },
      },
      // Over an allow of everything, as if a broader policy were attached later: the denies alone decide.
      identityPolicies: [
        ...(broad ? [{ name: 'anything-attached-later', policy: ALLOW_ALL }] : []),
        { name: 'mlp-planner', policy: plannerDenies(account === MGMT ? 'management' : 'platform') },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // A KMS key needs its key policy to allow: the default one trusts the key's account.
      resourcePolicy: resource.startsWith('arn:aws:kms:')
        ? {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${resource.split(':')[4]}:root` }, Action: 'kms:*', Resource: '*' }],
          }
        : undefined,
    };
  }

  test.each([
    ['s3:GetObject', `arn:aws:s3:::mlp-analytics-datasets-${TENANT}/train/part-0`],
    ['s3:GetObjectVersion', `arn:aws:s3:::mlp-analytics-datasets-${TENANT}/train/part-0`],
    ['kms:Decrypt', `arn:aws:kms:us-east-1:${TENANT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:us-east-1:${PLAT}:secret:db`],
    ['ssm:GetParameter', `arn:aws:ssm:us-east-1:${PLAT}:parameter/x`],
    ['ecr:BatchGetImage', `arn:aws:ecr:us-east-1:${PLAT}:repository/pytorch-base`],
    ['dynamodb:Scan', `arn:aws:dynamodb:us-east-1:${PLAT}:table/t`],
  ])('data read %s is explicitly denied', (action, resource) => {
    expect(decide(planner(action, resource))).toBe('ExplicitlyDenied');
  });

  test.each([
    ['s3:PutObject', `arn:aws:s3:::${STATE}/ml-platform/shared.tfstate`],
    ['s3:DeleteObject', `arn:aws:s3:::${STATE}/ml-platform/shared.tfstate`],
    ['s3:PutBucketPolicy', `arn:aws:s3:::${STATE}`],
    ['iam:CreateRole', arn(PLAT, 'x')],
    ['iam:PassRole', arn(PLAT, 'mlp-deployer')],
    ['iam:UpdateAssumeRolePolicy', arn(PLAT, 'mlp-deployer')],
    ['ec2:RunInstances', `arn:aws:ec2:us-east-1:${PLAT}:instance/*`],
    ['eks:CreateAccessEntry', `arn:aws:eks:us-east-1:${PLAT}:cluster/mlp-shared`],
    ['organizations:CreateAccount', '*'],
    ['kms:ScheduleKeyDeletion', `arn:aws:kms:us-east-1:${PLAT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ['sts:AssumeRole', arn(TENANT, 'OrganizationAccountAccessRole')],
    ['sts:AssumeRole', arn(TENANT, 'analytics-people')],
    ['sts:AssumeRole', arn(MGMT, 'mlp-deployer')],
  ])('%s on %s is explicitly denied', (action, resource) => {
    expect(decide(planner(action, resource))).toBe('ExplicitlyDenied');
  });

  test.each([
    ['s3:GetObject', `arn:aws:s3:::${STATE}/ml-platform/shared.tfstate`],
    ['s3:ListBucket', `arn:aws:s3:::${STATE}`],
    ['ec2:DescribeSubnets', '*'],
    ['iam:GetRole', arn(PLAT, 'mlp-deployer')],
    ['eks:DescribeCluster', `arn:aws:eks:us-east-1:${PLAT}:cluster/mlp-shared`],
    ['kms:GetKeyPolicy', `arn:aws:kms:us-east-1:${PLAT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ['organizations:ListAccounts', '*'],
    ['sts:AssumeRole', arn(MGMT, 'mlp-planner')],
    ['sts:AssumeRole', arn(TENANT, 'mlp-analytics-planner')],
  ])('the plan still reads, with its own policy alone: %s on %s', (action, resource) => {
    expect(decide(planner(action, resource, PLAT, false))).toBe('Allowed');
    // The management planner too, where the resource is not the platform account's own (a key policy trusts its account only).
    if (!resource.includes(`:${PLAT}:`)) expect(decide(planner(action, resource, MGMT, false))).toBe('Allowed');
  });

  test('object names of any bucket but the state bucket are not listed', () => {
    expect(decide(planner('s3:ListBucket', `arn:aws:s3:::mlp-analytics-datasets-${TENANT}`))).toBe('ExplicitlyDenied');
  });
});

describe('the state bucket', () => {
  const bucketPolicy = () => literal(single(stack, 'aws_s3_bucket_policy').policy);
  function state(callerArn: string, action: string, tls = true): Simulation {
    const account = callerArn.split(':')[4];
    return {
      request: {
        principal: `arn:aws:sts::${account}:assumed-role/${callerArn.split('/')[1]}/s`,
        action,
        resource: { resource: `arn:aws:s3:::${STATE}/ml-platform/tenant-analytics.tfstate`, accountId: PLAT },
        contextVariables: { 'aws:PrincipalArn': callerArn, 'aws:PrincipalAccount': account, 'aws:SecureTransport': tls ? 'true' : 'false' },
      },
      identityPolicies: [{ name: 'admin', policy: ALLOW_ALL }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: bucketPolicy(),
    };
  }

  test('is versioned, encrypted, private, owner-enforced and never destroyed with the stack', () => {
    expect(single(stack, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(single(stack, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('AES256');
    expect(single(stack, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(single(stack, 'aws_s3_bucket_ownership_controls').rule.object_ownership).toBe('BucketOwnerEnforced');
    const bucket = single(stack, 'aws_s3_bucket');
    expect(bucket).toMatchObject({ bucket: STATE, lifecycle: { prevent_destroy: true } });
    expect(bucket.provider).toBe('aws.platform');
  });

  test('deployers of both accounts read and write state; planners only read it', () => {
    for (const deployer of [arn(PLAT, 'mlp-deployer'), arn(MGMT, 'mlp-deployer')]) {
      expect(decide(state(deployer, 's3:PutObject'))).toBe('Allowed');
      expect(decide(state(deployer, 's3:GetObject'))).toBe('Allowed');
    }
    expect(decide(state(arn(MGMT, 'mlp-planner'), 's3:GetObject'))).toBe('Allowed');
    expect(decide(state(arn(PLAT, 'mlp-planner'), 's3:PutObject'))).toBe('ExplicitlyDenied');
  });

  test('any other role of the platform account cannot read the state, whatever its own policies allow', () => {
    expect(decide(state(arn(PLAT, 'mlp-platform-admin'), 's3:GetObject'))).toBe('ExplicitlyDenied');
    expect(decide(state(arn(TENANT, 'mlp-deployer'), 's3:GetObject'))).not.toBe('Allowed');
  });

  test('requests without TLS are denied, even to a deployer', () => {
    expect(decide(state(arn(PLAT, 'mlp-deployer'), 's3:GetObject', false))).toBe('ExplicitlyDenied');
  });
});

describe('the stack', () => {
  test("creates the GitHub OIDC provider and both roles in each account, each through that account's provider", () => {
    const oidc = bodies(stack, 'aws_iam_openid_connect_provider');
    expect(oidc.map((o) => [o.url, o.client_id_list, o.provider ?? 'default']).sort()).toEqual([
      ['https://token.actions.githubusercontent.com', ['sts.amazonaws.com'], 'aws'],
      ['https://token.actions.githubusercontent.com', ['sts.amazonaws.com'], 'aws.platform'],
    ]);
    expect(stack.provider?.aws?.map((p) => p.alias ?? 'default').sort()).toEqual(['default', 'platform']);
    const roles = bodies(stack, 'aws_iam_role')
      .map((r) => `${r.provider}:${r.name}`)
      .sort();
    expect(roles).toEqual(['aws.platform:mlp-deployer', 'aws.platform:mlp-planner', 'aws:mlp-deployer', 'aws:mlp-planner']);
    // IAM checks a federated principal exists when the trust is written.
    for (const role of bodies(stack, 'aws_iam_role')) expect(role.depends_on).toEqual([expect.stringMatching(/^aws_iam_openid_connect_provider\./)]);
  });

  test('the deployer gets AdministratorAccess; the planner no managed policy, only its own', () => {
    const attachment = (id: string) => single(stack, 'aws_iam_role_policy_attachment', `${id}/managed-policy`).policy_arn;
    expect(attachment('management-deployer')).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(bodies(stack, 'aws_iam_role_policy_attachment', 'planner')).toEqual([]);
  });
});

describe('an incomplete platform.yaml', () => {
  function withPlatform(edit: (text: string) => string): string {
    const file = path.join(tempDir('mlp-bootstrap-cfg-'), 'platform.yaml');
    writeFileSync(file, edit(readFileSync(PLATFORM_FILE, 'utf8')));
    return file;
  }

  test('without github is refused with the field and the fix, and nothing is written', () => {
    const file = withPlatform((t) => t.replace(/^github:[\s\S]*?planEnvironment: plan[^\n]*\n/m, ''));
    const out = path.join(tempDir('mlp-bootstrap-none-'), 'out');
    expect(() => synthesizeBootstrap(file, out)).toThrow(BootstrapNotReady);
    expect(() => synthesizeBootstrap(file, out)).toThrow(/'github' is missing; add github.repository/);
    expect(existsSync(out)).toBe(false);
  });

  test('a deploy role the bootstrap would not create is refused, naming the ARN to set', () => {
    const file = withPlatform((t) => t.replace('platform: arn:aws:iam::222222222222:role/mlp-deployer', 'platform: arn:aws:iam::222222222222:role/ci-admin'));
    expect(() => synthesizeBootstrap(file, path.join(tempDir(), 'out'))).toThrow(
      "platform.yaml: deployRoles.platform is 'arn:aws:iam::222222222222:role/ci-admin'; the bootstrap stack creates 'arn:aws:iam::222222222222:role/mlp-deployer': set it to that ARN",
    );
  });
});
