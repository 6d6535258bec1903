import { tenantDir, tenantFields } from '../support/config-fixtures';
import { bodies, single, synthPlatform, type StackJson, type Synthesized } from '../support/synth';

describe('tenant stack', () => {
  let synthesized: Synthesized;
  let fraud: StackJson;
  beforeAll(() => {
    synthesized = synthPlatform();
    fraud = synthesized.stacks['tenant-fraud-detection'];
  });

  describe('providers', () => {
    test("assumes the access role in the tenant's own account, read from the organization stack", () => {
      const [tenantAccount] = fraud.provider!.aws.filter((p) => !p.alias);
      expect((tenantAccount.assume_role as { role_arn: string }[])[0].role_arn).toMatch(
        /^arn:aws:iam::\$\{data\.terraform_remote_state\.cross-stack-reference-input-organization\.outputs\.cross-stack-output-aws_organizations_account[\w-]+id\}:role\/OrganizationAccountAccessRole$/,
      );
    });

    test('assumes the access role in an adopted account by its id', () => {
      const [tenantAccount] = synthesized.stacks['tenant-recsys-inference'].provider!.aws.filter((p) => !p.alias);
      expect((tenantAccount.assume_role as { role_arn: string }[])[0].role_arn).toBe('arn:aws:iam::333333333333:role/OrganizationAccountAccessRole');
    });

    test('has a platform-account AWS provider alias and a kubernetes provider with exec authentication', () => {
      expect(fraud.provider!.aws.find((p) => p.alias === 'platform')).toMatchObject({ assume_role: [expect.objectContaining({ role_arn: 'arn:aws:iam::222222222222:role/mlp-deployer' })] });
      const [k8s] = fraud.provider!.kubernetes;
      expect(k8s.exec).toEqual([expect.objectContaining({ command: 'aws' })]);
      expect(JSON.stringify(k8s)).not.toMatch(/"token":|"password":|"client_key":/);
    });
  });

  describe('key', () => {
    test('rotates, waits 30 days before deletion and is never destroyed by Terraform', () => {
      expect(single(fraud, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    });

    test("admits only the tenant account's principals", () => {
      const policy = String(single(fraud, 'aws_kms_key').policy);
      expect(policy).toMatch(/"AWS" = "arn:aws:iam::\$\{data\.terraform_remote_state\.cross-stack-reference-input-organization[^}]+\}:root"/);
      expect(policy.match(/"Principal"/g)).toHaveLength(1);
    });
  });

  describe('buckets', () => {
    test('creates the buckets of the tenant file with derived, globally unique names', () => {
      const names = bodies(fraud, 'aws_s3_bucket').map((b) => b.bucket).sort();
      expect(names).toEqual([
        expect.stringMatching(/^mlp-fraud-detection-artifacts-[0-9a-f]{8}$/),
        expect.stringMatching(/^mlp-fraud-detection-datasets-[0-9a-f]{8}$/),
        expect.stringMatching(/^mlp-fraud-detection-features-[0-9a-f]{8}$/),
      ]);
    });

    test('defaults to datasets and artifacts buckets', () => {
      const recsys = synthesized.stacks['tenant-recsys-inference'];
      expect(bodies(recsys, 'aws_s3_bucket').map((b) => String(b.bucket).split('-').slice(-2, -1)[0]).sort()).toEqual(['artifacts', 'datasets']);
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
          { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.key_\w+\.arn\}$/) }, bucket_key_enabled: true },
        ]);
      }
    });

    test('expire noncurrent versions after the days in the tenant file', () => {
      const days = (purpose: string) => single(fraud, 'aws_s3_bucket_lifecycle_configuration', `buckets/${purpose}-lifecycle`).rule[0].noncurrent_version_expiration[0].noncurrent_days;
      expect(days('features')).toBe(7);
      expect(days('datasets')).toBe(30);
    });

    test('deny plain HTTP and every principal outside the tenant account', () => {
      for (const policy of bodies(fraud, 'aws_s3_bucket_policy').map((p) => String(p.policy))) {
        expect(policy).toContain('"Sid" = "DenyInsecureTransport"');
        expect(policy).toContain('"aws:SecureTransport" = "false"');
        expect(policy).toContain('"Sid" = "DenyPrincipalsOutsideTenantAccount"');
        expect(policy).toMatch(/"StringNotEquals" = \{"aws:PrincipalAccount" = data\.terraform_remote_state\.cross-stack-reference-input-organization\.outputs\.cross-stack-output-aws_organizations_accountfraud-detection-account_\w+id\}/);
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
      expect(policy.match(/"Sid" = "(\w+)"/g)).toEqual(['"Sid" = "ReadWriteTenantBuckets"', '"Sid" = "UseTenantKey"', '"Sid" = "EcrLogin"', '"Sid" = "PullSharedImages"']);
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

    test('boundary stops edits to platform roles, itself, the key policy and bucket policies', () => {
      const boundary = String(single(fraud, 'aws_iam_policy', 'people-role/boundary').policy);
      for (const sid of ['DenyEditingPlatformRoles', 'DenyEditingTheBoundary', 'DenyRemovingBoundaries', 'DenyEditingKeyPolicies', 'DenyEditingBucketPolicies']) {
        expect(boundary).toContain(`"Sid" = "${sid}"`);
      }
      expect(boundary).toContain('"kms:PutKeyPolicy"');
      expect(boundary).toContain('"s3:PutBucketPolicy"');
      expect(boundary).toContain(':role/OrganizationAccountAccessRole"');
      expect(boundary).toContain(':role/fraud-detection-workload"');
      expect(boundary).not.toMatch(/"Action" = "\*"/);
    });
  });

  describe('GPU node pools', () => {
    test('one managed node group per pool on the NVIDIA AL2023 AMI with the pool sizes', () => {
      const group = single(fraud, 'aws_eks_node_group');
      expect(group).toMatchObject({
        node_group_name: 'fraud-detection-train',
        ami_type: 'AL2023_x86_64_NVIDIA',
        capacity_type: 'SPOT',
        instance_types: ['g6.12xlarge', 'g5.12xlarge'],
        scaling_config: { min_size: 0, max_size: 4, desired_size: 0 },
      });
      expect(single(fraud, 'aws_launch_template', 'gpu-pool-train').block_device_mappings[0].ebs).toMatchObject({ volume_size: 500, encrypted: 'true' });
      expect(single(synthesized.stacks['tenant-recsys-inference'], 'aws_eks_node_group').capacity_type).toBe('ON_DEMAND');
    });

    test('carries the tenant label and the tenant and GPU taints', () => {
      const group = single(fraud, 'aws_eks_node_group');
      expect(group.labels).toMatchObject({ tenant: 'fraud-detection' });
      expect(group.taint).toEqual([
        { key: 'tenant', value: 'fraud-detection', effect: 'NO_SCHEDULE' },
        { key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' },
      ]);
    });

    test('tags the Auto Scaling group with the autoscaler node template so the pool scales up from zero', () => {
      const tags = Object.fromEntries(bodies(fraud, 'aws_autoscaling_group_tag').map((t) => [t.tag.key, t.tag.value]));
      expect(tags).toMatchObject({
        'k8s.io/cluster-autoscaler/enabled': 'true',
        'k8s.io/cluster-autoscaler/node-template/label/tenant': 'fraud-detection',
        'k8s.io/cluster-autoscaler/node-template/taint/tenant': 'fraud-detection:NoSchedule',
        'k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu': '4',
      });
    });

    test('nodes require IMDSv2 with one hop, so pods cannot read the node role credentials', () => {
      const template = single(fraud, 'aws_launch_template', 'gpu-pool-train');
      expect(template.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
      expect(single(fraud, 'aws_eks_node_group').launch_template).toEqual({
        id: expect.stringMatching(/aws_launch_template\.\S+\.id/),
        version: expect.stringMatching(/aws_launch_template\.\S+\.latest_version/),
      });
    });

    test('runs in the platform account with a node role of its own tenant', () => {
      const group = single(fraud, 'aws_eks_node_group');
      expect(group.provider).toBe('aws.platform');
      expect(group.node_role_arn).toMatch(/aws_iam_role\.platform-account_gpu-node-role/);
      expect(single(fraud, 'aws_iam_role', 'gpu-node-role').name).toBe('mlp-fraud-detection-gpu-nodes');
      expect(group.cluster_name).toMatch(/cross-stack-reference-input-shared/);
    });

    test('a CPU-only tenant gets no node group and no node role', () => {
      const analytics = synthesized.stacks['tenant-analytics'];
      expect(bodies(analytics, 'aws_eks_node_group')).toEqual([]);
      expect(bodies(analytics, 'aws_iam_role', 'gpu-node-role')).toEqual([]);
    });
  });

  describe('namespace', () => {
    test('is labelled with the tenant and enforces Pod Security restricted', () => {
      expect(single(fraud, 'kubernetes_namespace_v1').metadata).toEqual({
        name: 'fraud-detection',
        labels: expect.objectContaining({ tenant: 'fraud-detection', 'pod-security.kubernetes.io/enforce': 'restricted' }),
      });
    });

    test('has a ResourceQuota from the tenant file', () => {
      expect(single(fraud, 'kubernetes_resource_quota_v1').spec.hard).toEqual({
        'requests.cpu': '64',
        'requests.memory': '512Gi',
        'requests.nvidia.com/gpu': '16',
        pods: '200',
      });
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

    test("gives the people role namespaced edit in the tenant's namespace only", () => {
      const association = single(fraud, 'aws_eks_access_policy_association');
      expect(association).toMatchObject({
        policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
        access_scope: { type: 'namespace', namespaces: ['fraud-detection'] },
        provider: 'aws.platform',
      });
      expect(single(fraud, 'aws_eks_access_entry').principal_arn).toMatch(/aws_iam_role\.people-role_\w+\.arn/);
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

    test('drops node groups, namespace, workload role and cluster access', () => {
      for (const type of ['aws_eks_node_group', 'kubernetes_namespace_v1', 'kubernetes_service_account_v1', 'aws_eks_access_entry', 'aws_iam_openid_connect_provider']) {
        expect(bodies(retained, type)).toEqual([]);
      }
      expect(bodies(retained, 'aws_iam_role', 'workload-role')).toEqual([]);
    });

    test('keeps the kubernetes provider so Terraform can remove the namespace', () => {
      expect(retained.provider?.kubernetes).toHaveLength(1);
    });
  });
});
