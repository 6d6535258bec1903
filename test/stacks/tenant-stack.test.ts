import { tenantDir, tenantFields } from '../support/config-fixtures';
import { bodies, single, synthPlatform, underMode, type StackJson, type Synthesized } from '../support/synth';

describe('tenant stack', () => {
  let synthesized: Synthesized;
  let fraud: StackJson;
  beforeAll(() => {
    synthesized = synthPlatform();
    fraud = synthesized.stacks['tenant-fraud-detection'];
  });

  describe('providers', () => {
    /** The role that acts: the last of the provider's chain. */
    const roleArnOf = (provider: Record<string, unknown> | undefined) => ((provider?.assume_role ?? []) as { role_arn: string }[]).at(-1)!.role_arn;

    test("reaches the tenant account through the management account's pipeline role, which the tenant's deployer trusts", () => {
      const [tenantAccount] = fraud.provider!.aws.filter((p) => !p.alias);
      const chain = (tenantAccount.assume_role as { role_arn: string }[]).map((hop) => hop.role_arn);
      expect(chain.map((arn) => underMode(arn, 'deploy'))).toEqual(['arn:aws:iam::111111111111:role/mlp-deployer', 'arn:aws:iam::<remote>:role/mlp-deployer']);
      expect(chain.map((arn) => underMode(arn, 'plan'))).toEqual([
        'arn:aws:iam::111111111111:role/mlp-planner',
        'arn:aws:iam::<remote>:role/mlp-fraud-detection-planner',
      ]);
    });

    test("deploys through the platform's deployer in the tenant's own account, read from its account stack, and plans through its planner", () => {
      const [tenantAccount] = fraud.provider!.aws.filter((p) => !p.alias);
      expect(roleArnOf(tenantAccount)).toMatch(
        /cross-stack-reference-input-account-fraud-detection\.outputs\.cross-stack-output-aws_organizations_account[\w-]+id\}/,
      );
      expect(underMode(roleArnOf(tenantAccount), 'deploy')).toBe('arn:aws:iam::<remote>:role/mlp-deployer');
      expect(underMode(roleArnOf(tenantAccount), 'plan')).toBe('arn:aws:iam::<remote>:role/mlp-fraud-detection-planner');
    });

    test('uses an adopted account by its id', () => {
      const [tenantAccount] = synthesized.stacks['tenant-recsys-inference'].provider!.aws.filter((p) => !p.alias);
      expect(underMode(roleArnOf(tenantAccount), 'deploy')).toBe('arn:aws:iam::333333333333:role/mlp-deployer');
      expect(underMode(roleArnOf(tenantAccount), 'plan')).toBe('arn:aws:iam::333333333333:role/mlp-recsys-inference-planner');
    });

    test('has a platform-account AWS provider alias and a kubernetes provider with exec authentication', () => {
      const platform = fraud.provider!.aws.find((p) => p.alias === 'platform');
      expect(underMode(roleArnOf(platform), 'deploy')).toBe('arn:aws:iam::222222222222:role/mlp-deployer');
      expect(underMode(roleArnOf(platform), 'plan')).toBe('arn:aws:iam::222222222222:role/mlp-planner');
      const [k8s] = fraud.provider!.kubernetes;
      expect(k8s.exec).toEqual([expect.objectContaining({ command: 'aws' })]);
      expect(JSON.stringify(k8s)).not.toMatch(/"token":|"password":|"client_key":/);
    });
  });

  describe('key', () => {
    test('rotates, waits 30 days before deletion and is never destroyed by Terraform', () => {
      expect(single(fraud, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    });

    test("admits the tenant account's principals, and the platform account only for the EBS CSI driver's role", () => {
      const policy = String(single(fraud, 'aws_kms_key').policy);
      expect(policy).toMatch(/"AWS" = "arn:aws:iam::\$\{data\.terraform_remote_state\.cross-stack-reference-input-account-fraud-detection[^}]+\}:root"/);
      // Two statements for the driver (use through EC2, grants for AWS resources), each limited to its role by ARN.
      expect(policy.match(/"Principal"/g)).toHaveLength(3);
      expect(policy.match(/"AWS" = "arn:aws:iam::222222222222:root"/g)).toHaveLength(2);
      expect(policy.match(/"aws:PrincipalArn" = "arn:aws:iam::222222222222:role\/mlp-ebs-csi"/g)).toHaveLength(2);
    });
  });

  describe('buckets', () => {
    test("creates the buckets of the tenant file, named after the tenant's account: a vended account's id is known only once it exists", () => {
      const names = bodies(fraud, 'aws_s3_bucket')
        .map((b) => b.bucket)
        .sort();
      const account =
        '\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-account-fraud-detection\\.outputs\\.cross-stack-output-aws_organizations_accountfraud-detection-account_\\w+id\\}';
      expect(names).toEqual(
        ['artifacts', 'datasets', 'features'].map((purpose) => expect.stringMatching(new RegExp(`^mlp-fraud-detection-${purpose}-${account}$`))),
      );
      const recsys = bodies(synthesized.stacks['tenant-recsys-inference'], 'aws_s3_bucket')
        .map((b) => b.bucket)
        .sort();
      expect(recsys).toEqual(['mlp-recsys-inference-artifacts-333333333333', 'mlp-recsys-inference-datasets-333333333333']);
    });

    test('defaults to datasets and artifacts buckets', () => {
      const recsys = synthesized.stacks['tenant-recsys-inference'];
      expect(
        bodies(recsys, 'aws_s3_bucket')
          .map((b) => String(b.bucket).split('-').slice(-2, -1)[0])
          .sort(),
      ).toEqual(['artifacts', 'datasets']);
    });

    test('are not force_destroy and are prevent_destroy', () => {
      for (const bucket of bodies(fraud, 'aws_s3_bucket')) {
        expect(bucket.force_destroy).toBe(false);
        expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
      }
    });

    test('block all public access, enforce object ownership and version objects', () => {
      expect(bodies(fraud, 'aws_s3_bucket_public_access_block')).toEqual(
        Array(3).fill(expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true })),
      );
      expect(bodies(fraud, 'aws_s3_bucket_ownership_controls').map((o) => o.rule.object_ownership)).toEqual(Array(3).fill('BucketOwnerEnforced'));
      expect(bodies(fraud, 'aws_s3_bucket_versioning').map((v) => v.versioning_configuration.status)).toEqual(Array(3).fill('Enabled'));
    });

    test('encrypt with SSE-KMS under the tenant key, with bucket keys', () => {
      for (const encryption of bodies(fraud, 'aws_s3_bucket_server_side_encryption_configuration')) {
        expect(encryption.rule).toEqual([
          {
            apply_server_side_encryption_by_default: {
              sse_algorithm: 'aws:kms',
              kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.key_\w+\.arn\}$/),
            },
            bucket_key_enabled: true,
          },
        ]);
      }
    });

    test('expire noncurrent versions after the days in the tenant file', () => {
      const days = (purpose: string) =>
        single(fraud, 'aws_s3_bucket_lifecycle_configuration', `buckets/${purpose}-lifecycle`).rule[0].noncurrent_version_expiration[0].noncurrent_days;
      expect(days('features')).toBe(7);
      expect(days('datasets')).toBe(30);
    });

    test('deny plain HTTP and every principal outside the tenant account', () => {
      for (const policy of bodies(fraud, 'aws_s3_bucket_policy').map((p) => String(p.policy))) {
        expect(policy).toContain('"Sid" = "DenyInsecureTransport"');
        expect(policy).toContain('"aws:SecureTransport" = "false"');
        expect(policy).toContain('"Sid" = "DenyPrincipalsOutsideTenantAccount"');
        expect(policy).toMatch(
          /"StringNotEquals" = \{"aws:PrincipalAccount" = data\.terraform_remote_state\.cross-stack-reference-input-account-fraud-detection\.outputs\.cross-stack-output-aws_organizations_accountfraud-detection-account_\w+id\}/,
        );
      }
    });
  });

  describe('workload role', () => {
    test('registers the shared cluster OIDC issuer in the tenant account', () => {
      const provider = single(fraud, 'aws_iam_openid_connect_provider');
      expect(provider.url).toMatch(/cross-stack-reference-input-shared\.outputs\.cross-stack-output-aws_eks_cluster\w+identity0oidc0issuer/);
      expect(provider.client_id_list).toEqual(['sts.amazonaws.com']);
    });

    test("trusts only the tenant's service account in the tenant's namespace, for STS", () => {
      const trust = String(single(fraud, 'aws_iam_role', 'workload-role').assume_role_policy);
      expect(trust).toContain('"Action" = "sts:AssumeRoleWithWebIdentity"');
      expect(trust).toMatch(/"Federated" = aws_iam_openid_connect_provider\.workload-role_oidc-provider_\w+\.arn/);
      expect(trust).toContain('["system:serviceaccount:fraud-detection:fraud-detection-workload", "sts.amazonaws.com"]');
      expect(trust).toContain('format("%s:sub"');
      expect(trust).toContain('format("%s:aud"');
    });

    test("may use the tenant's buckets and key and pull shared images, and nothing else", () => {
      const role = single(fraud, 'aws_iam_role', 'workload-role');
      const policy = String(role.inline_policy[0].policy);
      expect(policy.match(/"Sid" = "(\w+)"/g)).toEqual([
        '"Sid" = "ReadWriteTenantBuckets"',
        '"Sid" = "UseTenantKey"',
        '"Sid" = "EcrLogin"',
        '"Sid" = "PullSharedImages"',
      ]);
      expect(policy).toContain('"Resource" = "arn:aws:ecr:us-east-1:222222222222:repository/mlp/*"');
      expect(policy).not.toMatch(/"Action" = "\*"/);
      expect(policy).not.toContain('"s3:*"');
    });
  });

  describe('people role', () => {
    test('is trusted by the tenant account and bounded by the tenant boundary', () => {
      const role = single(fraud, 'aws_iam_role', 'people-role');
      expect(role.name).toBe('fraud-detection-people');
      expect(role.permissions_boundary).toMatch(/^\$\{aws_iam_policy\.people-role_boundary_\w+\.arn\}$/);
    });

    test('asks for nothing on the shared cluster that EKS could not grant across accounts', () => {
      expect(String(single(fraud, 'aws_iam_role', 'people-role').inline_policy[0].policy)).not.toContain('eks:');
    });

    test('boundary stops edits to platform roles, itself, the key policy and bucket policies', () => {
      const boundary = String(single(fraud, 'aws_iam_policy', 'people-role/boundary').policy);
      for (const sid of [
        'DenyEditingPlatformRoles',
        'DenyEditingTheBoundary',
        'DenyRemovingBoundaries',
        'DenyEditingKeyPolicies',
        'DenyEditingBucketPolicies',
      ]) {
        expect(boundary).toContain(`"Sid" = "${sid}"`);
      }
      expect(boundary).toContain('"kms:PutKeyPolicy"');
      expect(boundary).toContain('"s3:PutBucketPolicy"');
      for (const role of ['mlp-deployer', 'mlp-fraud-detection-planner', 'fraud-detection-workload']) expect(boundary).toContain(`:role/${role}"`);
      expect(boundary).not.toMatch(/"Action" = "\*"/);
    });
  });

  describe('GPU pools', () => {
    const nodePools = (stack: StackJson) => bodies(stack, 'kubernetes_manifest').filter((b) => b.manifest.kind === 'NodePool');

    test('a pool that scales to zero is one dynamic NodePool and its EC2NodeClass, named <tenant>.<pool>, and no node group', () => {
      expect(nodePools(fraud).map((b) => b.manifest.metadata.name)).toEqual(['fraud-detection.train']);
      expect(nodePools(fraud)[0].manifest.spec.replicas).toBeUndefined();
      expect(single(fraud, 'kubernetes_manifest', 'gpu-pool-train/node-class').manifest.metadata.name).toBe('fraud-detection.train');
      expect(bodies(fraud, 'aws_eks_node_group')).toEqual([]);
      expect(bodies(fraud, 'aws_launch_template')).toEqual([]);
    });

    test('minNodes become a static NodePool of that many replicas beside the dynamic one', () => {
      const recsys = synthesized.stacks['tenant-recsys-inference'];
      const byName = Object.fromEntries(nodePools(recsys).map((b) => [b.manifest.metadata.name, b.manifest.spec]));
      expect(byName['recsys-inference.serve.warm']).toMatchObject({ replicas: 2, limits: { nodes: '2' } });
      expect(byName['recsys-inference.serve'].limits).toEqual({ 'nvidia.com/gpu': '6', cpu: '24', memory: '96Gi' });
    });

    test('empty nodes are consolidated, and nodes expire and are replaced', () => {
      expect(nodePools(fraud)[0].manifest.spec.disruption).toMatchObject({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '5m' });
      expect(nodePools(fraud)[0].manifest.spec.template.spec.expireAfter).toBe('720h');
    });

    test('the node objects wait for the node role and its access entry; the pools wait for their node class', () => {
      const nodeClass = single(fraud, 'kubernetes_manifest', 'gpu-pool-train/node-class');
      expect(nodeClass.depends_on).toEqual(
        expect.arrayContaining([expect.stringMatching(/^aws_eks_access_entry\.platform-account_gpu-node-role_access-entry_/)]),
      );
      expect(nodePools(fraud)[0].depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.gpu-pool-train_node-class_/)]);
    });
  });

  describe('namespace', () => {
    test('is labelled with the tenant and enforces Pod Security restricted', () => {
      expect(single(fraud, 'kubernetes_namespace_v1').metadata).toEqual({
        name: 'fraud-detection',
        labels: expect.objectContaining({ tenant: 'fraud-detection', 'pod-security.kubernetes.io/enforce': 'restricted' }),
      });
    });

    test('has a ResourceQuota from the tenant file, with no node ports or load balancers', () => {
      expect(single(fraud, 'kubernetes_resource_quota_v1', 'namespace/quota').spec.hard).toEqual({
        'requests.cpu': '64',
        'requests.memory': '512Gi',
        'requests.nvidia.com/gpu': '16',
        pods: '200',
        'services.nodeports': '0',
        'services.loadbalancers': '0',
      });
    });

    test('allows no pod of the system priority classes (quota 0 for that scope)', () => {
      const quota = single(fraud, 'kubernetes_resource_quota_v1', 'system-priority-quota');
      expect(quota.spec.hard).toEqual({ pods: '0' });
      expect(quota.spec.scope_selector.match_expression).toEqual([
        { scope_name: 'PriorityClass', operator: 'In', values: ['system-node-critical', 'system-cluster-critical'] },
      ]);
    });

    test('has container defaults', () => {
      expect(single(fraud, 'kubernetes_limit_range_v1').spec.limit[0]).toMatchObject({ type: 'Container', default_request: { cpu: '250m', memory: '512Mi' } });
    });

    test('denies all traffic by default, then allows the namespace, DNS and destinations outside the VPC', () => {
      const policies = Object.fromEntries(bodies(fraud, 'kubernetes_network_policy_v1').map((p) => [p.metadata.name, p.spec]));
      expect(policies['default-deny']).toEqual({ pod_selector: { match_labels: {} }, policy_types: ['Ingress', 'Egress'] });
      expect(policies['allow-same-namespace'].ingress).toEqual([{ from: [{ pod_selector: { match_labels: {} } }] }]);
      expect(policies['allow-cluster-dns'].egress[0].ports).toEqual([
        { port: '53', protocol: 'UDP' },
        { port: '53', protocol: 'TCP' },
      ]);
      const outside = policies['allow-egress-outside-cluster'].egress;
      expect(outside[0].to).toEqual([{ ip_block: { cidr: '0.0.0.0/0', except: ['10.40.0.0/16', '169.254.169.254/32'] } }]);
      expect(outside[1].ports).toEqual([{ port: '443', protocol: 'TCP' }]);
      expect(JSON.stringify(policies)).not.toContain('namespace_selector":{}');
    });

    test('binds the workload service account to the workload role', () => {
      const sa = single(fraud, 'kubernetes_service_account_v1');
      expect(sa.metadata.name).toBe('fraud-detection-workload');
      expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/aws_iam_role\.workload-role_\w+\.arn/);
    });

    test("maps the people role to the tenant's Kubernetes group, bound to the tenant edit role in its namespace only", () => {
      expect(bodies(fraud, 'aws_eks_access_policy_association')).toEqual([]);
      const entry = single(fraud, 'aws_eks_access_entry', 'cluster-access');
      expect(entry).toMatchObject({ kubernetes_groups: ['ml-platform:tenant:fraud-detection'], provider: 'aws.platform' });
      expect(entry.principal_arn).toMatch(/aws_iam_role\.people-role_\w+\.arn/);
      const binding = single(fraud, 'kubernetes_role_binding_v1');
      expect(binding.metadata.namespace).toMatch(/kubernetes_namespace_v1\./);
      expect(binding.role_ref).toEqual({ api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ml-platform:tenant-edit' });
      expect(binding.subject).toEqual([{ kind: 'Group', name: 'ml-platform:tenant:fraud-detection', api_group: 'rbac.authorization.k8s.io' }]);
    });
  });

  test("two tenants' stacks share no identifier", () => {
    const identifiers = (name: string) => [name, `${name}-workload`, `${name}-people`, `aws+${name}@example.com`];
    const stacks = synthesized.text;
    for (const [a, b] of [
      ['fraud-detection', 'recsys-inference'],
      ['recsys-inference', 'analytics'],
      ['analytics', 'fraud-detection'],
    ]) {
      expect(identifiers(b).length).toBeGreaterThan(3);
      for (const id of identifiers(b)) expect(stacks[`tenant-${a}`]).not.toContain(`"${id}"`);
    }
    expect(stacks['tenant-fraud-detection']).not.toContain('333333333333');
  });

  describe('lifecycle retained', () => {
    let retained: StackJson;
    beforeAll(() => {
      const dir = tenantDir({ parked: tenantFields('parked', { lifecycle: 'retained' }) });
      retained = synthPlatform(dir).stacks['tenant-parked'];
    });

    test('keeps the key, buckets and people role', () => {
      expect(bodies(retained, 'aws_kms_key')).toHaveLength(1);
      expect(bodies(retained, 'aws_s3_bucket')).toHaveLength(2);
      expect(bodies(retained, 'aws_iam_role', 'people-role')).toHaveLength(1);
    });

    test('drops GPU pools (NodePools, node classes, node role), namespace, workload role and cluster access', () => {
      for (const type of [
        'kubernetes_manifest',
        'kubernetes_namespace_v1',
        'kubernetes_service_account_v1',
        'aws_eks_access_entry',
        'aws_iam_openid_connect_provider',
      ]) {
        expect(bodies(retained, type)).toEqual([]);
      }
      expect(bodies(retained, 'aws_iam_role', 'workload-role')).toEqual([]);
      expect(bodies(retained, 'aws_iam_role', 'gpu-node-role')).toEqual([]);
    });

    test('keeps the kubernetes provider so Terraform can remove the namespace', () => {
      expect(retained.provider?.kubernetes).toHaveLength(1);
    });
  });
});
