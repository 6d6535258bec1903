import { bodies, resourcesOf, single, synthPlatform, type StackJson } from '../support/synth';

describe('shared stack', () => {
  let shared: StackJson;
  beforeAll(() => {
    shared = synthPlatform().stacks.shared;
  });

  describe('network', () => {
    test('creates the VPC from the configured CIDR', () => {
      expect(single(shared, 'aws_vpc')).toMatchObject({ cidr_block: '10.40.0.0/16', enable_dns_hostnames: true });
    });

    test('spreads private, public and endpoint subnets across every zone without overlap', () => {
      const subnets = bodies(shared, 'aws_subnet');
      expect(subnets).toHaveLength(9);
      for (const zone of ['us-east-1a', 'us-east-1b', 'us-east-1c']) {
        expect(subnets.filter((s) => s.availability_zone === zone)).toHaveLength(3);
      }
      expect(new Set(subnets.map((s) => s.cidr_block)).size).toBe(9);
      expect(bodies(shared, 'aws_subnet', 'private-').map((s) => s.cidr_block)).toEqual(['10.40.0.0/18', '10.40.64.0/18', '10.40.128.0/18']);
    });

    test('routes private subnets through a NAT gateway per zone', () => {
      expect(bodies(shared, 'aws_nat_gateway')).toHaveLength(3);
      const privateRoutes = bodies(shared, 'aws_route_table', 'private-');
      expect(privateRoutes).toHaveLength(3);
      for (const table of privateRoutes) expect(table.route[0].nat_gateway_id).toMatch(/aws_nat_gateway/);
    });

    test('has an S3 gateway endpoint and ECR and STS interface endpoints', () => {
      const endpoints = bodies(shared, 'aws_vpc_endpoint');
      expect(endpoints.map((e) => [e.service_name, e.vpc_endpoint_type]).sort()).toEqual([
        ['com.amazonaws.us-east-1.ecr.api', 'Interface'],
        ['com.amazonaws.us-east-1.ecr.dkr', 'Interface'],
        ['com.amazonaws.us-east-1.s3', 'Gateway'],
        ['com.amazonaws.us-east-1.sts', 'Interface'],
      ]);
    });

    test('logs all VPC traffic to a log group with retention', () => {
      expect(single(shared, 'aws_flow_log')).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
      expect(single(shared, 'aws_cloudwatch_log_group', 'flow-log')).toMatchObject({ retention_in_days: 90 });
    });
  });

  describe('cluster', () => {
    test('uses API authentication mode (access entries, no aws-auth ConfigMap)', () => {
      expect(single(shared, 'aws_eks_cluster').access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    });

    test('envelope-encrypts secrets with a KMS key', () => {
      const encryption = single(shared, 'aws_eks_cluster').encryption_config;
      expect(encryption.resources).toEqual(['secrets']);
      expect(encryption.provider.key_arn).toMatch(/aws_kms_key\.secrets-key/);
    });

    test('enables every control-plane log type', () => {
      expect(single(shared, 'aws_eks_cluster').enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    });

    test('keeps the endpoint private with the public allow-list from platform.yaml', () => {
      expect(single(shared, 'aws_eks_cluster').vpc_config).toMatchObject({
        endpoint_private_access: true,
        endpoint_public_access: true,
        public_access_cidrs: ['203.0.113.0/24'],
      });
    });

    test('runs one managed node group, the system nodes: everything else is a Karpenter pool', () => {
      const groups = bodies(shared, 'aws_eks_node_group');
      expect(groups.map((g) => [g.node_group_name, g.ami_type, g.capacity_type])).toEqual([['mlp-system', 'AL2023_x86_64_STANDARD', 'ON_DEMAND']]);
      expect(single(shared, 'aws_eks_node_group', 'system-nodes').scaling_config).toEqual({ min_size: 2, max_size: 4, desired_size: 2 });
    });

    test("pins the system nodes' image from platform.yaml, and their Kubernetes version to the image's", () => {
      expect(single(shared, 'aws_eks_node_group', 'system-nodes')).toMatchObject({ release_version: '1.32.1-20250410', version: '1.32' });
    });

    test('installs the core add-ons, each at the version platform.yaml pins', () => {
      const versions = Object.fromEntries(bodies(shared, 'aws_eks_addon').map((a) => [a.addon_name, a.addon_version]));
      expect(versions).toEqual({
        coredns: 'v1.11.4-eksbuild.14',
        'eks-pod-identity-agent': 'v1.3.7-eksbuild.2',
        'kube-proxy': 'v1.32.3-eksbuild.7',
        'vpc-cni': 'v1.19.5-eksbuild.1',
        'aws-ebs-csi-driver': 'v1.44.0-eksbuild.1',
        'aws-mountpoint-s3-csi-driver': 'v1.15.0-eksbuild.1',
        'amazon-cloudwatch-observability': 'v4.1.0-eksbuild.1',
      });
    });

    test('turns on network policy enforcement in the VPC CNI and gives it its own role through Pod Identity', () => {
      const cni = bodies(shared, 'aws_eks_addon').find((a) => a.addon_name === 'vpc-cni')!;
      expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
      expect(cni.pod_identity_association).toEqual([{ role_arn: expect.stringMatching(/aws_iam_role\.cluster_vpc-cni-role/), service_account: 'aws-node' }]);
      const cniPolicies = bodies(shared, 'aws_iam_role_policy_attachment').filter((a) => String(a.policy_arn).endsWith('/AmazonEKS_CNI_Policy'));
      expect(cniPolicies.map((a) => a['//'].metadata.path)).toEqual(['shared/cluster/vpc-cni-role/role/policy-AmazonEKS_CNI_Policy']);
    });

    test('taints the system nodes for critical add-ons only', () => {
      const taints = Object.fromEntries(bodies(shared, 'aws_eks_node_group').map((g) => [g.labels['ml-platform/node-pool'], g.taint]));
      expect(taints).toEqual({ system: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }] });
    });

    test('grants cluster admin to the deploy role and the configured admins through access entries, and only to them', () => {
      const admins = bodies(shared, 'aws_eks_access_policy_association')
        .filter((a) => String(a.policy_arn).endsWith('/AmazonEKSClusterAdminPolicy'))
        .map((a) => a.principal_arn);
      expect(admins).toEqual(['arn:aws:iam::222222222222:role/mlp-deployer', 'arn:aws:iam::222222222222:role/mlp-platform-admin']);
      // The planner has an entry too, with view policies only (identity-mode.test.ts).
      expect(
        bodies(shared, 'aws_eks_access_entry')
          .filter((e) => e.type === 'STANDARD')
          .map((e) => e.principal_arn),
      ).toEqual([
        'arn:aws:iam::222222222222:role/mlp-deployer',
        'arn:aws:iam::222222222222:role/mlp-platform-admin',
        'arn:aws:iam::222222222222:role/mlp-planner',
      ]);
    });
  });

  test('creates shared ECR repositories with scan-on-push and immutable tags', () => {
    const repositories = bodies(shared, 'aws_ecr_repository');
    expect(repositories.map((r) => r.name).sort()).toEqual(['mlp/jax-base', 'mlp/pytorch-base', 'mlp/triton-inference']);
    for (const repository of repositories) {
      expect(repository.image_tag_mutability).toBe('IMMUTABLE');
      expect(repository.image_scanning_configuration).toEqual({ scan_on_push: true });
    }
  });

  test('lets only principals of the organization pull from the registries', () => {
    expect(bodies(shared, 'aws_ecr_repository_policy').length).toBeGreaterThan(0);
    for (const policy of bodies(shared, 'aws_ecr_repository_policy')) expect(policy.policy).toContain('"aws:PrincipalOrgID" = "o-a1b2c3d4e5"');
  });

  test('rotates every KMS key and keeps it from being destroyed', () => {
    const keys = bodies(shared, 'aws_kms_key');
    // Logs, Kubernetes secrets, ECR, the platform's EBS volumes.
    expect(keys).toHaveLength(4);
    for (const key of keys) {
      expect(key.enable_key_rotation).toBe(true);
      expect(key.lifecycle.prevent_destroy).toBe(true);
    }
  });

  test('sets retention on every log group', () => {
    expect(bodies(shared, 'aws_cloudwatch_log_group').length).toBeGreaterThan(0);
    for (const group of bodies(shared, 'aws_cloudwatch_log_group')) expect(group.retention_in_days).toBe(90);
  });

  test('outputs what tenant stacks consume: cluster name, endpoint, CA, OIDC issuer and node subnets', () => {
    const outputs = Object.values(shared.output ?? {}).map((o) => String(o.value));
    expect(outputs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/aws_eks_cluster\.\w+\.name/),
        expect.stringMatching(/aws_eks_cluster\.\w+\.endpoint/),
        expect.stringMatching(/certificate_authority\[0\]\.data/),
        expect.stringMatching(/identity\[0\]\.oidc\[0\]\.issuer/),
      ]),
    );
    expect(outputs.filter((o) => /aws_subnet\.network_private-/.test(o))).toHaveLength(3);
  });

  test('calls no AWS API at plan time: no data sources', () => {
    expect(shared.data ?? {}).toEqual({});
  });

  test('has no resource of any tenant', () => {
    const text = JSON.stringify(shared);
    for (const tenant of ['fraud-detection', 'recsys-inference', 'analytics']) expect(text).not.toContain(tenant);
    expect(resourcesOf(shared, 'aws_eks_node_group')).toHaveLength(1);
  });
});
