/**
 * `shared` (platform account): the one ML stack every tenant uses. It depends on
 * platform.yaml only: adding, changing or removing a tenant changes no byte of it.
 */
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { Platform } from '../config/model';
import { CLUSTER_ACCESS_OUTPUT, karpenterNames, KUEUE, metricsExportNames, SHARED_GPU_POOL, STACK, tenantNames, volumeNames } from '../config/names';
import { NodeRole } from '../constructs/cluster/node-role';
import { ManagedKey } from '../constructs/common/managed-key';
import { platformTags } from '../constructs/common/tags';
import { CloudwatchObservability } from '../constructs/cluster/cloudwatch-observability';
import { EbsCsiDriver } from '../constructs/cluster/ebs-csi-driver';
import { S3CsiDriver } from '../constructs/cluster/s3-csi-driver';
import { KarpenterController } from '../constructs/shared/karpenter-controller';
import { SharedCluster } from '../constructs/shared/shared-cluster';
import { SharedNetwork } from '../constructs/shared/shared-network';
import { SharedRegistries } from '../constructs/shared/shared-registries';
import { ClusterViewerAccess } from '../constructs/shared/cluster-viewer-access';
import { TenantMetricsExporter } from '../constructs/shared/tenant-metrics-exporter';
import { PlatformStack } from './platform-stack';
import { awsAccountProvider, platformAccountRoles } from './providers';

export interface SharedStackProps {
  readonly platform: Platform;
}

export class SharedStack extends PlatformStack {
  readonly network: SharedNetwork;
  readonly cluster: SharedCluster;
  readonly registries: SharedRegistries;
  /** The key of the platform's own EBS volumes (the default StorageClass's); tenants' volumes use their own keys. */
  readonly volumeKeyArn: string;

  constructor(scope: Construct, props: SharedStackProps) {
    super(scope, STACK.shared, props.platform);
    const { platform } = props;
    const prefix = platform.name;
    const accountId = platform.platformAccountId;
    awsAccountProvider(this, 'aws', {
      region: platform.region,
      roleArn: platformAccountRoles(platform),
      sessionName: `${prefix}-shared`,
      tags: platformTags(prefix, platform.tags),
    });

    const logKey = new ManagedKey(this, 'log-key', {
      description: `${prefix}: CloudWatch log groups of the shared stack`,
      aliasName: `alias/${prefix}/logs`,
      accountId,
      extraStatements: [
        {
          Sid: 'CloudWatchLogsOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: `logs.${platform.region}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${platform.region}:${accountId}:*` } },
        },
      ],
    });
    const secretsKey = new ManagedKey(this, 'secrets-key', {
      description: `${prefix}: envelope encryption of Kubernetes secrets in the shared cluster`,
      aliasName: `alias/${prefix}/eks-secrets`,
      accountId,
    });
    const registryKey = new ManagedKey(this, 'registry-key', {
      description: `${prefix}: shared ECR repositories`,
      aliasName: `alias/${prefix}/ecr`,
      accountId,
    });

    const volumeKey = new ManagedKey(this, 'volume-key', {
      description: `${prefix}: EBS volumes of the platform's own workloads in the shared cluster`,
      aliasName: volumeNames(prefix).platformKeyAlias,
      accountId,
    });
    this.volumeKeyArn = volumeKey.keyArn;

    this.network = new SharedNetwork(this, 'network', {
      namePrefix: prefix,
      region: platform.region,
      vpcCidr: platform.cluster.vpcCidr,
      availabilityZones: platform.cluster.availabilityZones,
      clusterName: platform.cluster.name,
      flowLogRetentionDays: platform.cluster.logRetentionDays,
      logKeyArn: logKey.keyArn,
    });
    const admins = [...new Set([platform.deployRoles.platform, ...platform.cluster.adminRoleArns])];
    this.cluster = new SharedCluster(this, 'cluster', {
      clusterName: platform.cluster.name,
      kubernetesVersion: platform.cluster.kubernetesVersion,
      subnetIds: this.network.privateSubnetIds,
      publicAccessCidrs: platform.cluster.publicAccessCidrs,
      secretsKeyArn: secretsKey.keyArn,
      logKeyArn: logKey.keyArn,
      logRetentionDays: platform.cluster.logRetentionDays,
      adminRoleArns: admins,
      systemNodes: platform.cluster.systemNodes,
      generalNodeRoleName: karpenterNames(prefix).generalNodeRole,
      namePrefix: prefix,
      addonVersions: platform.cluster.addonVersions,
    });
    new EbsCsiDriver(this, 'ebs-csi-driver', {
      clusterName: this.cluster.clusterName,
      addonVersion: platform.cluster.addonVersions['aws-ebs-csi-driver'],
      roleName: volumeNames(prefix).csiDriverRole,
      region: platform.region,
      podIdentityAgent: this.cluster.podIdentityAgent,
    });
    new CloudwatchObservability(this, 'cloudwatch-observability', {
      clusterName: this.cluster.clusterName,
      addonVersion: platform.cluster.addonVersions['amazon-cloudwatch-observability'],
      roleName: `${prefix}-cloudwatch-agent`,
      podIdentityAgent: this.cluster.podIdentityAgent,
    });
    // Each tenant's own metrics, copied into its account (docs/metrics.md); its schedule and writer role are in its stacks.
    new TenantMetricsExporter(this, 'tenant-metrics-exporter', {
      platformName: prefix,
      region: platform.region,
      accountId,
      clusterName: platform.cluster.name,
      names: metricsExportNames(prefix),
      logKeyArn: logKey.keyArn,
      logRetentionDays: platform.cluster.logRetentionDays,
    });
    // The shared GPU pool's node role: named like a tenant's (reserved tenant name 'shared'), so the Karpenter controller may pass it.
    if (platform.kueue.sharedGpuPool)
      new NodeRole(this, 'shared-gpu-node-role', {
        roleName: tenantNames(prefix, accountId, SHARED_GPU_POOL.pool).nodeRole,
        clusterName: this.cluster.clusterName,
      });
    new S3CsiDriver(this, 's3-csi-driver', {
      clusterName: this.cluster.clusterName,
      addonVersion: platform.cluster.addonVersions['aws-mountpoint-s3-csi-driver'],
    });
    // The planner reads the cluster (plan mode of the cluster providers), never writes it.
    new ClusterViewerAccess(this, 'planner-cluster-access', {
      clusterName: this.cluster.clusterName,
      principalArn: platform.planRoles.platform,
      releaseNamespaces: [karpenterNames(prefix).namespace, KUEUE.namespace],
    });
    // Node roles the controller may pass: every tenant's, by the name pattern, so a new tenant
    // changes nothing here (the shared GPU pool's role is named like one), and the general pool's.
    const nodeRoleNamePatterns = [tenantNames(prefix, accountId, '*').nodeRole, karpenterNames(prefix).generalNodeRole];
    new KarpenterController(this, 'karpenter', {
      clusterName: this.cluster.clusterName,
      configuredClusterName: platform.cluster.name,
      clusterArn: this.cluster.clusterArn,
      clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
      podIdentityAgent: this.cluster.podIdentityAgent,
      region: platform.region,
      accountId,
      names: karpenterNames(prefix),
      nodeRoleNamePatterns,
    });
    this.registries = new SharedRegistries(this, 'registries', {
      namePrefix: prefix,
      repositories: platform.ecrRepositories,
      region: platform.region,
      accountId,
      organizationId: platform.organizationId,
      kmsKeyArn: registryKey.keyArn,
    });

    const cluster = this.cluster.cluster;
    for (const attribute of ['name', 'endpoint', 'certificate_authority[0].data', 'identity[0].oidc[0].issuer']) {
      this.exportAttribute(cluster, attribute);
    }
    // No tenant stack reads the subnets since GPU pools select them by tag; kept as a stable output for tools and pipelines.
    for (const subnet of this.network.privateSubnets) this.exportAttribute(subnet, 'id');
    new TerraformOutput(this, CLUSTER_ACCESS_OUTPUT, {
      description: 'What a kubeconfig needs (npm run tenant:kubeconfig); none of it is secret.',
      value: {
        name: this.cluster.clusterName,
        region: platform.region,
        endpoint: this.cluster.endpoint,
        certificate_authority_data: this.cluster.certificateAuthorityData,
      },
    });
  }
}
