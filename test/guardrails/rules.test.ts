import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { OrganizationsAccount } from '@cdktf/provider-aws/lib/organizations-account';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DataTerraformRemoteStateS3, Fn, TerraformOutput, type TerraformStack } from 'cdktf';
import { ManagedKey } from '../../constructs/common/managed-key';
import { policyDocument, renderPolicy, type PolicyStatement } from '../../constructs/common/policy';
import { TenantAccount } from '../../constructs/organization/tenant-account';
import { TenantOrganizationalUnit } from '../../constructs/organization/tenant-organizational-unit';
import { SharedRegistries } from '../../constructs/shared/shared-registries';
import { GeneralNodePool } from '../../constructs/cluster/general-node-pool';
import { KarpenterGpuPool } from '../../constructs/tenant/karpenter-gpu-pool';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { poolLimits } from '../../config/pool-limits';
import { TenantBuckets } from '../../constructs/tenant/tenant-buckets';
import { TenantDirectory } from '../../guardrails/tenants';
import { checkTiny, errorsOf } from './support';

const KEY_ARN = 'arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function tenantBuckets(stack: TerraformStack): TenantBuckets {
  return new TenantBuckets(stack, 'buckets', {
    buckets: [{ purpose: 'datasets', noncurrentVersionDays: 30 }],
    bucketName: (purpose) => `mlp-a-${purpose}-0000`,
    tenantAccountId: '333333333333',
    kmsKeyArn: KEY_ARN,
  });
}

/** A bucket with everything the S3 rules ask for; `change` adjusts one part. */
function bucketWith(
  stack: TerraformStack,
  change: {
    publicAccess?: Partial<Record<'blockPublicAcls' | 'restrictPublicBuckets', boolean>>;
    algorithm?: string;
    versioning?: string;
    policy?: PolicyStatement[] | null;
    forceDestroy?: boolean;
  } = {},
): S3Bucket {
  const bucket = new S3Bucket(stack, 'bucket', { bucket: 'mlp-raw-bucket', forceDestroy: change.forceDestroy ?? false, lifecycle: { preventDestroy: true } });
  new S3BucketPublicAccessBlock(stack, 'public-access', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
    ...change.publicAccess,
  });
  new S3BucketServerSideEncryptionConfigurationA(stack, 'encryption', {
    bucket: bucket.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: change.algorithm ?? 'aws:kms',
          kmsMasterKeyId: change.algorithm === 'AES256' ? undefined : KEY_ARN,
        },
      },
    ],
  });
  new S3BucketVersioningA(stack, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: change.versioning ?? 'Enabled' } });
  const tls: PolicyStatement = {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucket.arn, `${bucket.arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  if (change.policy !== null) new S3BucketPolicy(stack, 'policy', { bucket: bucket.id, policy: renderPolicy(policyDocument(...(change.policy ?? [tls]))) });
  return bucket;
}

describe('the S3 rules', () => {
  test('pass TenantBuckets', () => {
    const checked = checkTiny((stack) => tenantBuckets(stack));
    expect(checked.errors).toEqual([]);
    for (const id of ['MLP-S3-1', 'MLP-S3-2', 'MLP-S3-3', 'MLP-S3-4', 'MLP-S3-5']) expect(checked.result.checked[id]).toBe(1);
  });

  test('pass a raw bucket with every companion resource', () => {
    expect(checkTiny((stack) => bucketWith(stack)).errors).toEqual([]);
  });

  test('fail a bare bucket once per S3 rule, naming stack, path, rule and fix', () => {
    const checked = checkTiny((stack) => new S3Bucket(stack, 'bare', { bucket: 'mlp-bare', lifecycle: { preventDestroy: true } }));
    for (const id of ['MLP-S3-1', 'MLP-S3-2', 'MLP-S3-3', 'MLP-S3-4']) expect(errorsOf(checked, id)).toHaveLength(1);
    expect(errorsOf(checked, 'MLP-S3-1')[0]).toMatch(
      /^MLP-S3-1 in stack 'platform' at platform\/bare \(aws_s3_bucket\.bare\): the bucket has no aws_s3_bucket_public_access_block\. Fix: add an S3BucketPublicAccessBlock/,
    );
  });

  test('MLP-S3-1 fails a public access block that leaves a setting off', () => {
    const checked = checkTiny((stack) => bucketWith(stack, { publicAccess: { restrictPublicBuckets: false } }));
    expect(errorsOf(checked, 'MLP-S3-1')).toEqual([expect.stringContaining('its public access block leaves restrict_public_buckets off')]);
  });

  test('MLP-S3-2 fails SSE-S3 (AES256) encryption', () => {
    const checked = checkTiny((stack) => bucketWith(stack, { algorithm: 'AES256' }));
    expect(errorsOf(checked, 'MLP-S3-2')).toEqual([expect.stringContaining('does not use SSE-KMS')]);
  });

  test('MLP-S3-3 fails a bucket policy without the TLS deny', () => {
    const onlyAccount: PolicyStatement = {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalAccount': '333333333333' } },
    };
    const checked = checkTiny((stack) => bucketWith(stack, { policy: [onlyAccount] }));
    expect(errorsOf(checked, 'MLP-S3-3')).toEqual([expect.stringContaining('no statement that denies requests without TLS')]);
  });

  test('MLP-S3-3 fails a TLS deny that covers the objects but not the bucket', () => {
    const checked = checkTiny((stack) => {
      const bucket = new S3Bucket(stack, 'b', { bucket: 'mlp-b' });
      new S3BucketPolicy(stack, 'policy', {
        bucket: bucket.bucket,
        policy: renderPolicy(
          policyDocument({
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: `${bucket.arn}/*`,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ),
      });
    });
    expect(errorsOf(checked, 'MLP-S3-3')).toHaveLength(1);
  });

  test('MLP-S3-4 fails suspended versioning', () => {
    const checked = checkTiny((stack) => bucketWith(stack, { versioning: 'Suspended' }));
    expect(errorsOf(checked, 'MLP-S3-4')).toEqual([expect.stringContaining('its versioning is not Enabled')]);
  });

  test('MLP-S3-5 fails force_destroy', () => {
    const checked = checkTiny((stack) => bucketWith(stack, { forceDestroy: true }));
    expect(errorsOf(checked, 'MLP-S3-5')).toEqual([expect.stringContaining('force_destroy on')]);
    expect(checked.errors).toHaveLength(1);
  });
});

describe('MLP-KMS-1 (key rotation)', () => {
  test('passes ManagedKey', () => {
    const checked = checkTiny((stack) => new ManagedKey(stack, 'key', { description: 'd', aliasName: 'alias/mlp/x', accountId: '222222222222' }));
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-KMS-1']).toBe(1);
  });

  test('fails a symmetric key without rotation', () => {
    const checked = checkTiny((stack) => new KmsKey(stack, 'key', { description: 'd', lifecycle: { preventDestroy: true } }));
    expect(errorsOf(checked, 'MLP-KMS-1')).toEqual([expect.stringContaining('the key does not rotate. Fix: set enableKeyRotation: true')]);
  });

  test('does not apply to an asymmetric signing key, which AWS cannot rotate', () => {
    const checked = checkTiny(
      (stack) => new KmsKey(stack, 'key', { customerMasterKeySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', lifecycle: { preventDestroy: true } }),
    );
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-KMS-1']).toBe(0);
  });
});

describe('MLP-LIFE-1 (prevent_destroy)', () => {
  test('passes a vended TenantAccount', () => {
    const checked = checkTiny(
      (stack) =>
        new TenantAccount(stack, 'account', {
          spec: { kind: 'vended', email: 'a@example.com' },
          accountName: 'mlp-a',
          parentId: 'ou-x',
          accessRoleName: 'OrganizationAccountAccessRole',
          tags: {},
        }),
    );
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-LIFE-1']).toBe(1);
  });

  test('fails a bucket, a key and an account without it', () => {
    const checked = checkTiny((stack) => {
      new S3Bucket(stack, 'bucket', { bucket: 'mlp-x' });
      new KmsKey(stack, 'key', { enableKeyRotation: true });
      new OrganizationsAccount(stack, 'account', { name: 'x', email: 'x@example.com' });
    });
    expect(errorsOf(checked, 'MLP-LIFE-1').map((message) => message.split(': ')[1])).toEqual([
      'the bucket is not prevent_destroy, so a plan may destroy it. Fix',
      'the KMS key is not prevent_destroy, so a plan may destroy it. Fix',
      'the account is not prevent_destroy, so a plan may destroy it. Fix',
    ]);
  });
});

describe('MLP-TAG-1 (required tags)', () => {
  const group = (stack: TerraformStack, tags?: Record<string, string>) => new SecurityGroup(stack, 'sg', { name: 'sg', tags });

  test('passes resources tagged through the provider default tags', () => {
    const checked = checkTiny((stack) => group(stack), { tenant: 'a' });
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-TAG-1']).toBe(1);
  });

  test('fails a resource when the provider has no default tags', () => {
    const checked = checkTiny((stack) => group(stack), { defaultTags: null });
    expect(errorsOf(checked, 'MLP-TAG-1')).toEqual([expect.stringContaining('it lacks the tags platform, cost-center, managed-by')]);
  });

  test('fails a resource whose own tags blank a required key', () => {
    const checked = checkTiny((stack) => group(stack, { 'cost-center': '' }));
    expect(errorsOf(checked, 'MLP-TAG-1')).toEqual([expect.stringContaining('it lacks the tag cost-center')]);
  });

  test('fails a tenant stack resource tagged for another tenant', () => {
    const checked = checkTiny((stack) => group(stack, { tenant: 'b' }), { tenant: 'a' });
    expect(errorsOf(checked, 'MLP-TAG-1')).toEqual([expect.stringContaining("it has tenant tag 'b', but the stack belongs to tenant 'a'")]);
  });

  test('does not apply to resources without tags, such as Kubernetes objects', () => {
    const checked = checkTiny((stack) => new ConfigMapV1(stack, 'cm', { metadata: { name: 'x' } }), { defaultTags: null });
    expect(checked.result.checked['MLP-TAG-1']).toBe(0);
  });
});

describe('the IAM rules', () => {
  const statement = (overrides: Partial<PolicyStatement>): PolicyStatement => ({
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::b/*',
    ...overrides,
  });
  const policy = (stack: TerraformStack, ...statements: PolicyStatement[]) =>
    new IamPolicy(stack, 'policy', { name: 'p', policy: renderPolicy(policyDocument(...statements)) });

  test("MLP-IAM-1 fails Allow '*' on '*'", () => {
    const checked = checkTiny((stack) => policy(stack, statement({ Sid: 'Admin', Action: '*', Resource: '*' })));
    expect(errorsOf(checked, 'MLP-IAM-1')).toEqual([expect.stringContaining("statement 'Admin' of policy allows '*' on '*'")]);
  });

  test("MLP-IAM-1 fails Allow with NotAction on '*'", () => {
    const checked = checkTiny((stack) => policy(stack, { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }));
    expect(errorsOf(checked, 'MLP-IAM-1')).toHaveLength(1);
  });

  test("MLP-IAM-1 fails '*' on '*' given as literal JSON in an inline role policy", () => {
    const admin = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const trust = renderPolicy(policyDocument({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }));
    const checked = checkTiny((stack) => new IamRole(stack, 'role', { name: 'r', assumeRolePolicy: trust, inlinePolicy: [{ name: 'admin', policy: admin }] }));
    expect(errorsOf(checked, 'MLP-IAM-1')).toEqual([expect.stringContaining('statement 1 of inline_policy[0].policy')]);
  });

  test("MLP-IAM-1 passes Deny '*' on '*' and scoped Allows (the tenant SCPs)", () => {
    const checked = checkTiny(
      (stack) => new TenantOrganizationalUnit(stack, 'ou', { parentId: 'r-1', name: 'Tenants', platformName: 'mlp', allowedRegions: ['us-east-1'] }),
    );
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-IAM-1']).toBe(2);
  });

  test("MLP-IAM-2 passes Principal '*' restricted to the organization (SharedRegistries)", () => {
    const checked = checkTiny(
      (stack) =>
        new SharedRegistries(stack, 'registries', {
          namePrefix: 'mlp',
          repositories: ['base'],
          region: 'us-east-1',
          accountId: '222222222222',
          organizationId: 'o-abc',
          kmsKeyArn: KEY_ARN,
        }),
    );
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-IAM-2']).toBe(1);
  });

  test("MLP-IAM-2 fails Principal '*' without a condition", () => {
    const checked = checkTiny(
      (stack) =>
        new EcrRepositoryPolicy(stack, 'policy', {
          repository: 'r',
          policy: renderPolicy(policyDocument(statement({ Principal: '*', Action: 'ecr:BatchGetImage', Resource: undefined }))),
        }),
    );
    expect(errorsOf(checked, 'MLP-IAM-2')).toEqual([expect.stringContaining("allows Principal '*' without a condition that restricts who")]);
  });

  test("MLP-IAM-2 fails { AWS: '*' } with a negated condition, which admits everyone else", () => {
    const open = statement({ Principal: { AWS: '*' }, Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } });
    const checked = checkTiny((stack) => new EcrRepositoryPolicy(stack, 'policy', { repository: 'r', policy: renderPolicy(policyDocument(open)) }));
    expect(errorsOf(checked, 'MLP-IAM-2')).toHaveLength(1);
  });

  test('MLP-IAM-3 fails a policy rendered from an untyped expression', () => {
    const checked = checkTiny((stack) => new IamPolicy(stack, 'policy', { name: 'p', policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [] }) }));
    expect(errorsOf(checked, 'MLP-IAM-3')).toEqual([expect.stringContaining('policy is a Terraform expression the guardrails cannot read')]);
  });

  test('MLP-IAM-3 passes typed and literal JSON documents (an IAM policy variable is escaped as $${...})', () => {
    const checked = checkTiny((stack) => {
      policy(stack, statement({}));
      new IamPolicy(stack, 'literal', {
        name: 'l',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/$${aws:username}' }],
        }),
      });
    });
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-IAM-3']).toBe(2);
  });

  test('MLP-IAM-4 passes the per-account SCP, which exempts the exact platform role ARN of its account', () => {
    const checked = checkTiny(
      (stack) =>
        new TenantAccount(stack, 'account', {
          spec: { kind: 'adopted', id: '444444444444' },
          accountName: 'mlp-t',
          parentId: 'ou-1',
          accessRoleName: 'OrganizationAccountAccessRole',
          tags: {},
          platformControls: {
            policyName: 'mlp-t-platform-controls',
            exemptRoleNames: ['mlp-deployer'],
            managedRoleNames: ['t-people'],
            managedPolicyNames: ['t-people-boundary'],
          },
        }),
    );
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-IAM-4']).toBe(1);
  });

  test.each([
    ['a role-name pattern', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/OrganizationAccountAccessRole' } }, 'matches patterns'],
    ['a wildcard account', { StringNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/OrganizationAccountAccessRole' } }, 'is not one role in one account'],
    ['a principal tag', { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } }, 'exempts principals by aws:PrincipalTag/team'],
    [
      'the organization access role',
      { StringNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::444444444444:role/OrganizationAccountAccessRole' } },
      "the organization access role, which an adopted account's previous owner made",
    ],
  ])('MLP-IAM-4 fails an SCP deny that exempts %s', (_what, condition, message) => {
    const deny = { Sid: 'DenyStopLogging', Effect: 'Deny' as const, Action: 'cloudtrail:StopLogging', Resource: '*', Condition: condition };
    const checked = checkTiny((stack) => new OrganizationsPolicy(stack, 'scp', { name: 's', content: renderPolicy(policyDocument(deny)) }));
    const errors = errorsOf(checked, 'MLP-IAM-4');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain(message);
  });

  test('read SCP content of an organizations policy', () => {
    const checked = checkTiny(
      (stack) => new OrganizationsPolicy(stack, 'scp', { name: 's', content: renderPolicy(policyDocument(statement({ Action: '*', Resource: '*' }))) }),
    );
    expect(errorsOf(checked, 'MLP-IAM-1')).toHaveLength(1);
  });
});

describe('MLP-EKS-1 and MLP-EKS-3 (tenant Karpenter pools)', () => {
  const sizes = { 'g6.xlarge': { gpus: 1, vcpus: 4, memoryGi: 16, onDemandHourlyUsd: 0.8 } };
  const pool = { name: 'train', instanceTypes: ['g6.xlarge'], capacity: 'spot' as const, minNodes: 1, maxNodes: 3, diskGi: 100 };
  const gpuPool = (stack: TerraformStack, tenant: string) =>
    new KarpenterGpuPool(stack, 'pool', {
      tenantName: tenant,
      pool,
      limits: poolLimits(pool, sizes),
      name: `${tenant}.train`,
      warmName: `${tenant}.train.warm`,
      nodeRoleName: 'n',
      clusterName: 'c',
      amiAlias: 'al2023@v20250410',
      tags: {},
    });
  /** A NodePool as someone might write it by hand: `spec` replaces the isolated, capped one's. */
  const handWritten = (stack: TerraformStack, spec: Record<string, unknown>) =>
    new Manifest(stack, 'hand-written', { manifest: { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'x' }, spec } });
  const template = {
    metadata: { labels: { tenant: 'a' } },
    spec: {
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'x' },
      requirements: [],
      taints: [{ key: 'tenant', value: 'a', effect: 'NoSchedule' }],
    },
  };

  test('pass the dynamic and the warm pool of KarpenterGpuPool in its tenant stack', () => {
    const checked = checkTiny((stack) => gpuPool(stack, 'a'), { tenant: 'a' });
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-EKS-1']).toBe(2);
    expect(checked.result.checked['MLP-EKS-3']).toBe(2);
  });

  test('MLP-EKS-1 fails pools whose nodes are tainted and labelled for another tenant', () => {
    expect(
      errorsOf(
        checkTiny((stack) => gpuPool(stack, 'b'), { tenant: 'a' }),
        'MLP-EKS-1',
      ),
    ).toEqual([
      expect.stringContaining('lack the taint tenant=a:NoSchedule'),
      expect.stringContaining('lack the label tenant=a'),
      expect.stringContaining('lack the taint tenant=a:NoSchedule'),
      expect.stringContaining('lack the label tenant=a'),
    ]);
  });

  test('MLP-EKS-1 fails a NodePool whose tenant taint only prefers (PreferNoSchedule)', () => {
    const weak = { ...template, spec: { ...template.spec, taints: [{ key: 'tenant', value: 'a', effect: 'PreferNoSchedule' }] } };
    const checked = checkTiny((stack) => handWritten(stack, { template: weak, limits: { 'nvidia.com/gpu': '4' } }), { tenant: 'a' });
    expect(errorsOf(checked, 'MLP-EKS-1')).toEqual([expect.stringContaining('lack the taint tenant=a:NoSchedule')]);
    expect(errorsOf(checked, 'MLP-EKS-3')).toEqual([]);
  });

  test('MLP-EKS-3 fails a dynamic NodePool without a GPU limit, or with a CPU limit only', () => {
    for (const limits of [undefined, { cpu: '64' }, { 'nvidia.com/gpu': '0' }]) {
      const checked = checkTiny((stack) => handWritten(stack, { template, limits }), { tenant: 'a' });
      expect(errorsOf(checked, 'MLP-EKS-3')).toEqual([expect.stringContaining('no positive nvidia.com/gpu limit')]);
      expect(errorsOf(checked, 'MLP-EKS-1')).toEqual([]);
    }
  });

  test('MLP-EKS-3 fails a static NodePool whose node limit exceeds its replicas or is missing', () => {
    for (const limits of [{ nodes: '5' }, undefined]) {
      const checked = checkTiny((stack) => handWritten(stack, { template, replicas: 2, limits }), { tenant: 'a' });
      expect(errorsOf(checked, 'MLP-EKS-3')).toEqual([expect.stringContaining('no node limit at most its replicas (2)')]);
    }
  });

  test('MLP-EKS-1 does not apply to platform stacks: their pools belong to no tenant', () => {
    const checked = checkTiny((stack) => handWritten(stack, { template, limits: { cpu: '64', memory: '256Gi' } }));
    expect(checked.result.checked['MLP-EKS-1'] ?? 0).toBe(0);
    expect(checked.errors).toEqual([]);
  });

  test('MLP-EKS-3 passes a platform pool capped by CPU and memory, and fails one without both', () => {
    expect(checkTiny((stack) => handWritten(stack, { template, limits: { cpu: '64', memory: '256Gi' } })).result.checked['MLP-EKS-3']).toBe(1);
    for (const limits of [undefined, { cpu: '64' }, { memory: '256Gi' }, { cpu: '0', memory: '256Gi' }]) {
      const checked = checkTiny((stack) => handWritten(stack, { template, limits }));
      expect(errorsOf(checked, 'MLP-EKS-3')).toEqual([expect.stringContaining('nor positive cpu and memory limits')]);
    }
  });

  test("MLP-EKS-3 passes the general pool GeneralNodePool makes from platform.yaml's settings", () => {
    const checked = checkTiny(
      (stack) =>
        new GeneralNodePool(stack, 'general', {
          name: 'general',
          settings: { instanceTypes: ['m6i.4xlarge'], capacity: 'on-demand', maxCpu: 320, maxMemoryGi: 1280, diskGi: 100 },
          nodeLabel: { key: 'ml-platform/node-pool', value: 'general' },
          nodeRoleName: 'n',
          clusterName: 'c',
          amiAlias: 'al2023@v20250410',
          tags: {},
        }),
    );
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-EKS-3']).toBe(1);
  });
});

describe('MLP-EKS-2 (network policies enforced)', () => {
  const cluster = (stack: TerraformStack) =>
    new EksCluster(stack, 'cluster', { name: 'c', roleArn: 'arn:aws:iam::222222222222:role/r', vpcConfig: { subnetIds: ['s'] } });
  const cni = (stack: TerraformStack, configurationValues?: string) =>
    new EksAddon(stack, 'cni', { clusterName: 'c', addonName: 'vpc-cni', configurationValues });

  test('passes a cluster whose VPC CNI runs the network policy agent', () => {
    const checked = checkTiny((stack) => {
      cluster(stack);
      cni(stack, JSON.stringify({ enableNetworkPolicy: 'true' }));
    });
    expect(errorsOf(checked, 'MLP-EKS-2')).toEqual([]);
    expect(checked.result.checked['MLP-EKS-2']).toBe(1);
  });

  test('fails a cluster whose VPC CNI has no configuration (the agent is off by default), or a "false" one', () => {
    for (const values of [undefined, JSON.stringify({ enableNetworkPolicy: 'false' })]) {
      const checked = checkTiny((stack) => {
        cluster(stack);
        cni(stack, values);
      });
      expect(errorsOf(checked, 'MLP-EKS-2')).toEqual([expect.stringContaining('leaves the network policy agent off')]);
    }
  });

  test('fails a cluster without the VPC CNI add-on', () => {
    expect(
      errorsOf(
        checkTiny((stack) => cluster(stack)),
        'MLP-EKS-2',
      ),
    ).toEqual([expect.stringContaining('has no vpc-cni add-on')]);
  });
});

describe('MLP-TEN-1 (no identifier of another tenant)', () => {
  const tenants = new TenantDirectory([
    { tenant: 'a', names: ['a'], identifiers: ['a-workload', 'mlp-a-datasets-1111', '333333333333'] },
    { tenant: 'b', names: ['b'], identifiers: ['b-workload', 'mlp-b-datasets-2222', '444444444444'], uniqueIds: ['b-account_0A1B2C3D'] },
  ]);

  test("passes a tenant stack that names only its own tenant's resources", () => {
    const checked = checkTiny(
      (stack) =>
        new IamPolicy(stack, 'p', {
          name: 'a-workload',
          policy: renderPolicy(policyDocument({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mlp-a-datasets-1111/*' })),
        }),
      {
        tenant: 'a',
        tenants,
      },
    );
    expect(checked.errors).toEqual([]);
  });

  test("fails a policy that names another tenant's bucket", () => {
    const checked = checkTiny(
      (stack) =>
        new IamPolicy(stack, 'p', {
          name: 'x',
          policy: renderPolicy(policyDocument({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mlp-b-datasets-2222/*' })),
        }),
      {
        tenant: 'a',
        tenants,
      },
    );
    expect(errorsOf(checked, 'MLP-TEN-1')).toEqual([expect.stringContaining("it names 'mlp-b-datasets-2222', an identifier of tenant 'b'")]);
  });

  test("fails another tenant's account id in a provider, and its namespace in a Kubernetes object", () => {
    const checked = checkTiny(
      (stack) => {
        new ConfigMapV1(stack, 'cm', { metadata: { name: 'x', namespace: 'b' } });
        new AwsProvider(stack, 'aws-other', { alias: 'other', region: 'us-east-1', assumeRole: [{ roleArn: 'arn:aws:iam::444444444444:role/admin' }] });
      },
      { tenant: 'a', tenants },
    );
    expect(errorsOf(checked, 'MLP-TEN-1')).toEqual([
      expect.stringContaining("at tenant-a/cm (kubernetes_config_map_v1.cm): it names 'b', an identifier of tenant 'b'"),
      expect.stringContaining("at tenant-a/aws-other (provider.aws.other): it names '444444444444', an identifier of tenant 'b'"),
    ]);
  });

  test('does not take a common word inside a longer value for a tenant named by it', () => {
    const directory = new TenantDirectory([{ tenant: 'data', names: ['data'], identifiers: ['data-workload'] }]);
    const checked = checkTiny(
      (stack) => new KmsKey(stack, 'key', { description: 'data of tenant a', enableKeyRotation: true, lifecycle: { preventDestroy: true } }),
      { tenant: 'a', tenants: directory },
    );
    expect(checked.errors).toEqual([]);
  });

  test("fails a reference to another tenant's vended account (its unique id inside a cross-stack output name)", () => {
    const reference = '${data.terraform_remote_state.org.outputs.cross-stack-output-aws_organizations_accountb-account_0A1B2C3Did}';
    const checked = checkTiny((stack) => new TerraformOutput(stack, 'account', { value: reference }), { tenant: 'a', tenants });
    expect(errorsOf(checked, 'MLP-TEN-1')).toEqual([expect.stringContaining("names 'b-account_0A1B2C3D'")]);
  });

  test('does not apply to platform stacks', () => {
    const checked = checkTiny((stack) => new TerraformOutput(stack, 'o', { value: 'mlp-b-datasets-2222' }), { tenants });
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-TEN-1']).toBe(0);
  });
});

describe('MLP-TF-1 (data sources plan offline)', () => {
  test('fails aws_caller_identity', () => {
    const checked = checkTiny((stack) => new DataAwsCallerIdentity(stack, 'me'));
    expect(errorsOf(checked, 'MLP-TF-1')).toEqual([
      expect.stringMatching(/^MLP-TF-1 in stack 'platform' at platform\/me \(data\.aws_caller_identity\.me\): data source aws_caller_identity calls/),
    ]);
  });

  test('passes remote state and policy documents', () => {
    const checked = checkTiny((stack) => {
      new DataTerraformRemoteStateS3(stack, 'shared', { bucket: 'state', key: 'shared.tfstate', region: 'us-east-1' });
      new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }] });
    });
    expect(checked.errors).toEqual([]);
    expect(checked.result.checked['MLP-TF-1']).toBe(2);
  });
});
