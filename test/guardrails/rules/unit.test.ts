/**
 * Every rule of the pack as the pure function it is: one compliant and one non-compliant
 * hand-built block each, checked through the same stack view the synth builds, without a
 * synth (milliseconds). test/guardrails/rules.test.ts checks the same rules on real
 * constructs.
 */
import { readFileSync } from 'node:fs';
import { stackView } from '../../../guardrails/blocks';
import { PLATFORM_GUARDRAILS } from '../../../guardrails/pack';
import type { Block, BlockKind, FoundPolicy, ResolvedStatement, RuleCheck, Verdict } from '../../../guardrails/rule';
import { TenantDirectory } from '../../../guardrails/tenants';

const TAGS = { platform: 'mlp', 'cost-center': 'cc-1', 'managed-by': 'ml-platform-blueprint' };

function block(kind: BlockKind, type: string, name: string, config: Record<string, unknown> = {}, extra: Partial<Block> = {}): Block {
  const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
  return { kind, type, name, address, path: `stack/${name}`, config, policies: [], ...extra };
}

const policy = (attribute: string, ...statements: ResolvedStatement[]): FoundPolicy => ({ attribute, statements });

const BUCKET = block('resource', 'aws_s3_bucket', 'data', { bucket: 'mlp-a-data', lifecycle: { prevent_destroy: true } }, { tags: TAGS });
const REF = '${aws_s3_bucket.data.id}';
const ARN = '${aws_s3_bucket.data.arn}';
const TLS_DENY: ResolvedStatement = {
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [ARN, `${ARN}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const COMPLIANT_ATTACHMENTS = [
  block('resource', 'aws_s3_bucket_public_access_block', 'pab', {
    bucket: REF,
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  }),
  block('resource', 'aws_s3_bucket_server_side_encryption_configuration', 'sse', {
    bucket: REF,
    rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:us-east-1:111111111111:key/k' } }],
  }),
  block('resource', 'aws_s3_bucket_versioning', 'versioning', { bucket: REF, versioning_configuration: { status: 'Enabled' } }),
  block('resource', 'aws_s3_bucket_policy', 'policy', { bucket: REF }, { policies: [policy('policy', TLS_DENY)] }),
];

const tenants = new TenantDirectory([
  { tenant: 'a', names: ['a'], identifiers: ['mlp-a-data', '111111111111'] },
  { tenant: 'b', names: ['b'], identifiers: ['mlp-b-data', '222222222222'] },
]);

/** The rule's verdict on `target` in a stack of `target` and `others`, as the check would run it. */
function verdict(id: string, target: Block, others: readonly Block[] = [], tenant?: string): Verdict {
  const rule = PLATFORM_GUARDRAILS.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no rule ${id} in the pack`);
  const check: RuleCheck = rule.check;
  return check(target, stackView(tenant ? `tenant-${tenant}` : 'shared', [target, ...others], tenants, tenant));
}

const problems = (result: Verdict): string[] => (result ?? []).map((violation) => violation.problem);

describe('each rule on hand-built blocks', () => {
  test.each([
    ['MLP-S3-1', 'the bucket has no aws_s3_bucket_public_access_block'],
    ['MLP-S3-2', 'the bucket has no server-side encryption configuration'],
    ['MLP-S3-3', 'the bucket has no bucket policy, so plain HTTP requests are not denied'],
    ['MLP-S3-4', 'the bucket has no aws_s3_bucket_versioning'],
  ])('%s passes a bucket with its attachment and fails one without: %s', (id, problem) => {
    expect(verdict(id, BUCKET, COMPLIANT_ATTACHMENTS)).toEqual([]);
    expect(problems(verdict(id, BUCKET))).toEqual([problem]);
  });

  test('MLP-S3-1 names the settings a partial public access block leaves off', () => {
    const partial = block('resource', 'aws_s3_bucket_public_access_block', 'pab', {
      bucket: REF,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: false,
    });
    expect(problems(verdict('MLP-S3-1', BUCKET, [partial]))).toEqual(['its public access block leaves ignore_public_acls, restrict_public_buckets off']);
  });

  test('MLP-S3-3 fails a TLS statement that covers the bucket but not its objects', () => {
    const bucketOnly = block('resource', 'aws_s3_bucket_policy', 'policy', { bucket: REF }, { policies: [policy('policy', { ...TLS_DENY, Resource: [ARN] })] });
    expect(problems(verdict('MLP-S3-3', BUCKET, [bucketOnly]))).toEqual([expect.stringContaining('no statement that denies requests without TLS')]);
  });

  test('MLP-S3-5 passes a bucket without force_destroy and fails one with it', () => {
    expect(verdict('MLP-S3-5', BUCKET)).toEqual([]);
    expect(problems(verdict('MLP-S3-5', block('resource', 'aws_s3_bucket', 'x', { force_destroy: true })))).toEqual([
      expect.stringContaining('force_destroy on'),
    ]);
  });

  test('MLP-KMS-1 passes a rotating key, fails a symmetric one that does not rotate, ignores an asymmetric one', () => {
    expect(verdict('MLP-KMS-1', block('resource', 'aws_kms_key', 'k', { enable_key_rotation: true }))).toEqual([]);
    expect(problems(verdict('MLP-KMS-1', block('resource', 'aws_kms_key', 'k', {})))).toEqual(['the key does not rotate']);
    expect(verdict('MLP-KMS-1', block('resource', 'aws_kms_key', 'k', { customer_master_key_spec: 'RSA_2048' }))).toBeUndefined();
  });

  test('MLP-LIFE-1 passes a prevent_destroy bucket and fails an unprotected account', () => {
    expect(verdict('MLP-LIFE-1', BUCKET)).toEqual([]);
    expect(problems(verdict('MLP-LIFE-1', block('resource', 'aws_organizations_account', 'acct', {})))).toEqual([
      'the account is not prevent_destroy, so a plan may destroy it',
    ]);
  });

  test('MLP-TAG-1 passes complete tags, fails missing keys, and in a tenant stack another tenant tag', () => {
    expect(verdict('MLP-TAG-1', BUCKET)).toEqual([]);
    expect(problems(verdict('MLP-TAG-1', { ...BUCKET, tags: { platform: 'mlp' } }))).toEqual(['it lacks the tags cost-center, managed-by']);
    expect(problems(verdict('MLP-TAG-1', { ...BUCKET, tags: { ...TAGS, tenant: 'b' } }, [], 'a'))).toEqual([
      "it has tenant tag 'b', but the stack belongs to tenant 'a'",
    ]);
  });

  test("MLP-IAM-1 passes scoped statements and fails '*' on '*'", () => {
    const role = (statement: ResolvedStatement) => block('resource', 'aws_iam_policy', 'p', {}, { policies: [policy('policy', statement)] });
    expect(verdict('MLP-IAM-1', role({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${ARN}/*` }))).toEqual([]);
    expect(problems(verdict('MLP-IAM-1', role({ Effect: 'Allow', Action: '*', Resource: '*' })))).toEqual([expect.stringContaining("allows '*' on '*'")]);
  });

  test("MLP-IAM-2 passes Principal '*' restricted to the organization and fails it unrestricted", () => {
    const repo = (statement: ResolvedStatement) => block('resource', 'aws_ecr_repository_policy', 'r', {}, { policies: [policy('policy', statement)] });
    const pull: ResolvedStatement = { Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' };
    expect(verdict('MLP-IAM-2', repo({ ...pull, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }))).toEqual([]);
    expect(problems(verdict('MLP-IAM-2', repo(pull)))).toEqual([expect.stringContaining("allows Principal '*' without a condition")]);
    expect(problems(verdict('MLP-IAM-2', repo({ ...pull, Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } })))).toHaveLength(1);
  });

  test('MLP-IAM-3 passes a readable document and fails an expression', () => {
    expect(verdict('MLP-IAM-3', block('resource', 'aws_iam_policy', 'p', {}, { policies: [policy('policy', TLS_DENY)] }))).toEqual([]);
    expect(problems(verdict('MLP-IAM-3', block('resource', 'aws_iam_policy', 'p', {}, { policies: [{ attribute: 'policy' }] })))).toEqual([
      expect.stringContaining('policy is a Terraform expression'),
    ]);
  });

  const nodePool = (spec: Record<string, unknown>) =>
    block('resource', 'kubernetes_manifest', 'pool', { manifest: { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'a.train' }, spec } });
  const template = (taints: unknown[], labels: Record<string, string>) => ({
    metadata: { labels },
    spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'a.train' }, requirements: [], taints },
  });
  const ISOLATED = template([{ key: 'tenant', value: 'a', effect: 'NoSchedule' }], { tenant: 'a' });

  test('MLP-EKS-1 passes a tenant NodePool with taint and label, fails one without, ignores platform stacks', () => {
    expect(verdict('MLP-EKS-1', nodePool({ template: ISOLATED, limits: { 'nvidia.com/gpu': '4' } }), [], 'a')).toEqual([]);
    expect(problems(verdict('MLP-EKS-1', nodePool({ template: template([{ key: 'tenant', value: 'a', effect: 'PreferNoSchedule' }], {}) }), [], 'a'))).toEqual([
      expect.stringContaining('lack the taint tenant=a:NoSchedule'),
      expect.stringContaining('lack the label tenant=a'),
    ]);
    expect(verdict('MLP-EKS-1', nodePool({ template: ISOLATED }))).toBeUndefined();
  });

  test('MLP-EKS-2 passes a cluster whose vpc-cni enforces NetworkPolicies, fails one that leaves the agent off or has no CNI', () => {
    const cluster = block('resource', 'aws_eks_cluster', 'cluster', { name: 'c' });
    const cni = (configuration_values?: string) => block('resource', 'aws_eks_addon', 'cni', { addon_name: 'vpc-cni', configuration_values });
    expect(verdict('MLP-EKS-2', cluster, [cni('{"enableNetworkPolicy":"true"}')])).toEqual([]);
    expect(problems(verdict('MLP-EKS-2', cluster, [cni()]))).toEqual([expect.stringContaining('leaves the network policy agent off')]);
    expect(problems(verdict('MLP-EKS-2', cluster))).toEqual([expect.stringContaining('has no vpc-cni add-on')]);
  });

  test('MLP-EKS-3 passes capped pools (GPU limit, static node limit, platform CPU and memory) and fails uncapped ones', () => {
    expect(verdict('MLP-EKS-3', nodePool({ template: ISOLATED, limits: { 'nvidia.com/gpu': '4' } }), [], 'a')).toEqual([]);
    expect(verdict('MLP-EKS-3', nodePool({ template: ISOLATED, replicas: 2, limits: { nodes: '2' } }), [], 'a')).toEqual([]);
    expect(verdict('MLP-EKS-3', nodePool({ template: ISOLATED, limits: { cpu: '320', memory: '1280Gi' } }))).toEqual([]);
    expect(verdict('MLP-EKS-3', nodePool({ template: ISOLATED, limits: { 'nvidia.com/gpu': '8' } }))).toEqual([]);
    expect(problems(verdict('MLP-EKS-3', nodePool({ template: ISOLATED, limits: { cpu: '64' } }), [], 'a'))).toEqual([
      expect.stringContaining('no positive nvidia.com/gpu limit'),
    ]);
    expect(problems(verdict('MLP-EKS-3', nodePool({ template: ISOLATED })))).toEqual([expect.stringContaining('nor positive cpu and memory limits')]);
  });

  test('MLP-IAM-4 passes a control policy exempting one exact role and fails a pattern or a tag', () => {
    const scp = (Condition: Record<string, unknown>) =>
      block(
        'resource',
        'aws_organizations_policy',
        'controls',
        {},
        { policies: [policy('content', { Effect: 'Deny', Action: 'iam:DeleteRole', Resource: '*', Condition })] },
      );
    expect(verdict('MLP-IAM-4', scp({ StringNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/mlp-deployer' } }))).toEqual([]);
    expect(
      problems(verdict('MLP-IAM-4', scp({ StringNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/OrganizationAccountAccessRole' } }))),
    ).toEqual([expect.stringContaining('the organization access role')]);
    // A configured access role name (the vended accounts' role_name) is the access role too.
    const vended = block('resource', 'aws_organizations_account', 'account', { role_name: 'PlatformAccess' });
    const custom = scp({ StringNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/PlatformAccess' } });
    expect(verdict('MLP-IAM-4', custom)).toEqual([]);
    expect(problems(verdict('MLP-IAM-4', custom, [vended]))).toEqual([expect.stringContaining('the organization access role')]);
    expect(problems(verdict('MLP-IAM-4', scp({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/OrganizationAccountAccessRole' } })))).toEqual(
      expect.arrayContaining([expect.stringContaining('which matches patterns')]),
    );
    expect(problems(verdict('MLP-IAM-4', scp({ StringNotEquals: { 'aws:PrincipalTag/platform': 'true' } })))).toEqual([
      expect.stringContaining('which a tenant can give principals it creates'),
    ]);
  });

  test("MLP-TF-2 passes the code's own references and fails a template sequence from a settings file", () => {
    const budget = (address: string) =>
      block('resource', 'aws_budgets_budget', 'budget', {
        name: 'mlp-a-monthly',
        notification: [{ subscriber_email_addresses: [address] }],
        account: '${aws_organizations_account.a.id}',
      });
    expect(verdict('MLP-TF-2', budget('team@example.com'), [block('resource', 'aws_organizations_account', 'a')])).toEqual([]);
    expect(problems(verdict('MLP-TF-2', budget('x${file("/etc/hostname")}@example.com')))).toEqual([
      expect.stringContaining('the expression \'${file("/etc/hostname")}\''),
    ]);
    expect(problems(verdict('MLP-TF-2', budget('%{ if true }x%{ endif }@example.com')))).toEqual(
      expect.arrayContaining([expect.stringContaining('the template directive')]),
    );
  });

  const kueue = (kind: string, spec: Record<string, unknown>, name = 'a') =>
    block('resource', 'kubernetes_manifest', `${kind}-${name}`, { manifest: { apiVersion: 'kueue.x-k8s.io/v1beta1', kind, metadata: { name }, spec } });
  const NAMESPACE = block('resource', 'kubernetes_namespace_v1', 'ns', { metadata: [{ name: 'a', labels: { tenant: 'a' } }] });
  const QUOTA = block('resource', 'kubernetes_resource_quota_v1', 'quota', {
    spec: [{ hard: { 'requests.cpu': '8', 'requests.memory': '32Gi', 'requests.nvidia.com/gpu': '4' } }],
  });
  const queue = (gpuFlavor: string, lendingLimit = '0') =>
    kueue('ClusterQueue', {
      namespaceSelector: { matchLabels: { tenant: 'a' } },
      resourceGroups: [
        {
          coveredResources: ['cpu', 'memory'],
          flavors: [
            {
              name: 'a',
              resources: [
                { name: 'cpu', nominalQuota: '8', lendingLimit: '0' },
                { name: 'memory', nominalQuota: '32Gi', lendingLimit: '0' },
              ],
            },
          ],
        },
        { coveredResources: ['nvidia.com/gpu'], flavors: [{ name: gpuFlavor, resources: [{ name: 'nvidia.com/gpu', nominalQuota: '4', lendingLimit }] }] },
      ],
    });

  test("MLP-Q-1 passes a tenant queue of its own namespace, flavors and quotas, and fails another tenant's flavor or lending", () => {
    expect(verdict('MLP-Q-1', queue('a.train'), [QUOTA], 'a')).toEqual([]);
    expect(problems(verdict('MLP-Q-1', queue('b.train'), [QUOTA], 'a'))).toEqual([
      expect.stringContaining("lists flavor 'b.train', which is not one of the tenant's"),
    ]);
    expect(problems(verdict('MLP-Q-1', queue('a.train', '4'), [QUOTA], 'a'))).toEqual([
      expect.stringContaining("flavor 'a.train' lends its nvidia.com/gpu quota"),
    ]);
    expect(verdict('MLP-Q-1', queue('b.train'), [QUOTA])).toBeUndefined();
  });

  test('MLP-Q-2 passes a tenant namespace with one ClusterQueue and one LocalQueue, and fails one without its LocalQueue', () => {
    const local = kueue('LocalQueue', { clusterQueue: 'a' }, 'default');
    expect(verdict('MLP-Q-2', NAMESPACE, [queue('a.train'), local], 'a')).toEqual([]);
    expect(problems(verdict('MLP-Q-2', NAMESPACE, [queue('a.train')], 'a'))).toEqual([expect.stringContaining('comes with 1 ClusterQueues and 0 LocalQueues')]);
  });

  test("MLP-VOL-1 passes a volume of the tenant's bucket, pod credentials and its own claim, and fails another tenant's bucket", () => {
    const bucket = block('resource', 'aws_s3_bucket', 'datasets', { bucket: 'mlp-a-datasets-111111111111' });
    const volume = (bucketName: string, authenticationSource = 'pod') =>
      block('resource', 'kubernetes_manifest', 'volume', {
        manifest: {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'a.datasets' },
          spec: {
            csi: { driver: 's3.csi.aws.com', volumeHandle: 'a.datasets', volumeAttributes: { bucketName, authenticationSource } },
            claimRef: { namespace: 'a', name: 's3-datasets' },
          },
        },
      });
    expect(verdict('MLP-VOL-1', volume('mlp-a-datasets-111111111111'), [bucket], 'a')).toEqual([]);
    expect(problems(verdict('MLP-VOL-1', volume('mlp-b-datasets-222222222222', 'driver'), [bucket], 'a'))).toEqual([
      expect.stringContaining("does not mount with the pod's credentials"),
      expect.stringContaining("mounts bucket 'mlp-b-datasets-222222222222', which is not one of the tenant's buckets"),
    ]);
  });

  test("MLP-VOL-2 passes a tenant's EBS class under the stack's own key, and fails one under another key or none", () => {
    const key = block('resource', 'aws_kms_key', 'key', {});
    const storageClass = (parameters: Record<string, string>) =>
      block('resource', 'kubernetes_storage_class_v1', 'class', { metadata: { name: 'a.gp3' }, storage_provisioner: 'ebs.csi.aws.com', parameters });
    expect(verdict('MLP-VOL-2', storageClass({ type: 'gp3', encrypted: 'true', kmsKeyId: '${aws_kms_key.key.arn}' }), [key], 'a')).toEqual([]);
    const foreign = 'arn:aws:kms:us-east-1:222222222222:key/b';
    expect(problems(verdict('MLP-VOL-2', storageClass({ type: 'gp3', encrypted: 'true', kmsKeyId: foreign }), [key], 'a'))).toEqual([
      `StorageClass a.gp3 of tenant a encrypts with '${foreign}', not with a key of the tenant's own stack`,
    ]);
    expect(problems(verdict('MLP-VOL-2', storageClass({ type: 'gp3' }), [key]))).toEqual([
      'StorageClass a.gp3 creates unencrypted volumes',
      "StorageClass a.gp3 names no kmsKeyId, so its volumes use the account's AWS-managed key",
    ]);
  });

  test("MLP-MET-1 passes a schedule pairing the tenant's namespace with its own account's writer role, fails every other pairing", () => {
    const writer = (provider?: string, name = 'mlp-a-metrics-writer') => block('resource', 'aws_iam_role', 'writer', { name, provider });
    const schedule = (input: unknown) =>
      block('resource', 'aws_scheduler_schedule', 'schedule', {
        provider: 'aws.platform',
        target: { arn: 'arn:aws:states:us-east-1:999999999999:stateMachine:mlp-tenant-metrics-export', input: JSON.stringify(input) },
      });
    const own = { namespace: 'a', writerRoleArn: '${aws_iam_role.writer.arn}' };
    expect(verdict('MLP-MET-1', schedule(own), [writer()], 'a')).toEqual([]);
    expect(problems(verdict('MLP-MET-1', schedule({ ...own, namespace: 'b' }), [writer()], 'a'))).toEqual([
      "the schedule exports namespace 'b', not the tenant's own namespace 'a'",
    ]);
    expect(problems(verdict('MLP-MET-1', schedule({ ...own, writerRoleArn: 'arn:aws:iam::222222222222:role/mlp-a-metrics-writer' }), [writer()], 'a'))).toEqual(
      [expect.stringContaining('which is not a role of this stack')],
    );
    expect(problems(verdict('MLP-MET-1', schedule(own), [writer('aws.platform')], 'a'))).toEqual([expect.stringContaining("not in the tenant's own account")]);
    expect(problems(verdict('MLP-MET-1', schedule(own), [writer(undefined, 'mlp-b-metrics-writer')], 'a'))).toEqual([
      expect.stringContaining("is not the tenant's metrics writer role"),
    ]);
    expect(problems(verdict('MLP-MET-1', block('resource', 'aws_scheduler_schedule', 's', { target: { input: 'not json' } }), [], 'a'))).toEqual([
      expect.stringContaining("not the export's JSON object"),
    ]);
    expect(verdict('MLP-MET-1', schedule({ ...own, namespace: 'b' }), [writer()])).toBeUndefined();
  });

  test("MLP-TEN-1 passes a tenant's own identifiers and fails another tenant's", () => {
    expect(verdict('MLP-TEN-1', BUCKET, [], 'a')).toEqual([]);
    const foreign = block('resource', 'aws_iam_role_policy', 'p', { policy: 'arn:aws:s3:::mlp-b-data/*' });
    expect(problems(verdict('MLP-TEN-1', foreign, [], 'a'))).toEqual(["it names 'mlp-b-data', an identifier of tenant 'b'"]);
  });

  test('MLP-TF-1 passes a local data source and fails one that calls the API', () => {
    expect(verdict('MLP-TF-1', block('data', 'aws_iam_policy_document', 'd'))).toEqual([]);
    expect(problems(verdict('MLP-TF-1', block('data', 'aws_caller_identity', 'me')))).toEqual([
      expect.stringContaining('data source aws_caller_identity calls'),
    ]);
  });

  test('covers every rule of the pack (but the suppression check, which is not a rule)', () => {
    const source = readFileSync(__filename, 'utf8');
    const untested = PLATFORM_GUARDRAILS.map((rule) => rule.id).filter((id) => !source.includes(`'${id}'`));
    expect(PLATFORM_GUARDRAILS.length).toBeGreaterThan(10);
    expect(untested).toEqual([]);
  });
});
