/**
 * `tenant-<name>`: everything one tenant file gives a tenant. Resources in the tenant's own
 * account use the default AWS provider; the GPU node role and the cluster access entries
 * live in the platform account (alias `platform`); the namespace and the Karpenter pools
 * live in the shared cluster.
 * Nothing here names another tenant.
 */
import { Construct } from 'constructs';
import type { Platform, Tenant } from '../config/model';
import { KUEUE, metricsExportNames, pipelineRoleNames, SHARED_GPU_POOL, TENANT_LABEL, tenantNames, volumeNames } from '../config/names';
import { queueQuotas, sharedPoolGpus } from '../config/queue-quotas';
import { poolLimits } from '../config/pool-limits';
import { EbsStorageClass } from '../constructs/cluster/ebs-storage-class';
import { NodeRole } from '../constructs/cluster/node-role';
import type { PolicyStatement } from '../constructs/common/policy';
import { tenantTags } from '../constructs/common/tags';
import type { TenantAccount } from '../constructs/organization/tenant-account';
import type { SharedCluster } from '../constructs/shared/shared-cluster';
import type { SharedNetwork } from '../constructs/shared/shared-network';
import { ECR_PULL_ACTIONS, type SharedRegistries } from '../constructs/shared/shared-registries';
import { TenantBuckets } from '../constructs/tenant/tenant-buckets';
import { TenantClusterAccess } from '../constructs/tenant/tenant-cluster-access';
import { KarpenterGpuPool } from '../constructs/tenant/karpenter-gpu-pool';
import { TenantKey } from '../constructs/tenant/tenant-key';
import { TenantNamespace } from '../constructs/tenant/tenant-namespace';
import { TenantBucketVolumes } from '../constructs/tenant/tenant-bucket-volumes';
import { TenantQueues } from '../constructs/tenant/tenant-queues';
import { TenantPeopleRole } from '../constructs/tenant/tenant-people-role';
import { TenantWorkloadRole } from '../constructs/tenant/tenant-workload-role';
import { TenantMetricsSchedule } from '../constructs/tenant/tenant-metrics-schedule';
import { TenantMetricsWriterRole } from '../constructs/tenant/tenant-metrics-writer-role';
import { stateMachineArn } from '../constructs/shared/tenant-metrics-exporter';
import { PEOPLE_METRICS_READ_ACTIONS } from '../constructs/tenant/tenant-people-role';
import { tenantAccountExemptRoles } from './account-stack';
import { PlatformStack } from './platform-stack';
import { awsAccountProvider, kubernetesProvider, managementAccountRoles, platformAccountRoles, roleArn } from './providers';
import { useProvider } from './use-provider';

export interface TenantStackProps {
  readonly platform: Platform;
  readonly tenant: Tenant;
  readonly account: TenantAccount;
  readonly cluster: SharedCluster;
  readonly network: SharedNetwork;
  readonly registries: SharedRegistries;
}

export class TenantStack extends PlatformStack {
  readonly tenant: Tenant;

  /** No stack reads a tenant's stack: tenants share nothing. */
  override get readByOtherStacks(): boolean {
    return false;
  }

  constructor(scope: Construct, props: TenantStackProps) {
    const { platform, tenant } = props;
    const accountId = props.account.accountId;
    const names = tenantNames(platform.name, platform.platformAccountId, tenant.name, accountId);
    super(scope, names.stack, platform);
    this.tenant = tenant;
    const tags = tenantTags(platform.name, tenant, platform.tags);
    const active = tenant.lifecycle === 'active';

    const pipeline = pipelineRoleNames(platform.name);
    awsAccountProvider(this, 'aws', {
      region: platform.region,
      // Through the management account's pipeline role into the tenant account's own
      // pipeline roles, both created at vending by the account stack's StackSet instance: the
      // deployer (trusted only by the management deployer) or the read-only planner (trusted
      // only by the platform's planners) (docs/bootstrap.md).
      via: [managementAccountRoles(platform)],
      roleArn: { deploy: roleArn(accountId, pipeline.deployer), plan: roleArn(accountId, names.planner) },
      sessionName: `${platform.name}-${names.stack}`,
      tags,
    });
    const platformProvider = awsAccountProvider(this, 'aws-platform', {
      alias: 'platform',
      region: platform.region,
      roleArn: platformAccountRoles(platform),
      sessionName: `${platform.name}-${names.stack}`,
      tags,
    });
    // Kept when the tenant is retained: Terraform needs it to remove the namespace.
    kubernetesProvider(this, 'kubernetes', props.cluster, platform.region, platformAccountRoles(platform));

    // The shared cluster's EBS CSI driver encrypts the tenant's volumes with this key (its role, by name, in the platform account).
    const key = new TenantKey(this, 'key', {
      tenantName: tenant.name,
      tenantAccountId: accountId,
      aliasName: names.keyAlias,
      volumeDriver: {
        roleArn: roleArn(platform.platformAccountId, volumeNames(platform.name).csiDriverRole),
        accountId: platform.platformAccountId,
        region: platform.region,
      },
    });
    const buckets = new TenantBuckets(this, 'buckets', {
      buckets: tenant.buckets,
      bucketName: names.bucket,
      tenantAccountId: accountId,
      kmsKeyArn: key.keyArn,
    });
    const dataAccess = [buckets.readWriteStatement(), key.useStatement()];
    const people = new TenantPeopleRole(this, 'people-role', {
      roleName: names.peopleRole,
      boundaryPolicyName: names.peopleBoundaryPolicy,
      tenantAccountId: accountId,
      platformRoleNames: [...tenantAccountExemptRoles(platform), names.planner, names.workloadRole, names.metricsWriterRole],
      // EKS has no resource policies, so eks:DescribeCluster on the platform account's cluster
      // could never work from here; the kubeconfig comes from the shared stack's outputs.
      // CloudWatch in its own account holds only its own metrics (docs/metrics.md).
      statements: [...dataAccess, { Sid: 'ReadOwnMetrics', Effect: 'Allow', Action: [...PEOPLE_METRICS_READ_ACTIONS], Resource: '*' }],
    });
    // A retained tenant keeps its data (key, buckets) and people role; its workloads go.
    if (active) this.addWorkloads(props, names, dataAccess, people, platformProvider, tags, key);
  }

  /** The tenant's workloads: workload role, namespace, cluster access and GPU pools. */
  private addWorkloads(
    props: TenantStackProps,
    names: ReturnType<typeof tenantNames>,
    dataAccess: readonly PolicyStatement[],
    people: TenantPeopleRole,
    platformProvider: ReturnType<typeof awsAccountProvider>,
    tags: Record<string, string>,
    key: TenantKey,
  ): void {
    const { platform } = props;
    const workload = new TenantWorkloadRole(this, 'workload-role', {
      roleName: names.workloadRole,
      oidcIssuerUrl: props.cluster.oidcIssuerUrl,
      namespace: names.namespace,
      serviceAccount: names.serviceAccount,
      statements: [
        ...dataAccess,
        { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        { Sid: 'PullSharedImages', Effect: 'Allow', Action: [...ECR_PULL_ACTIONS], Resource: props.registries.repositoryArnPattern },
      ],
    });
    // With a shared GPU pool, the namespace may hold its own GPUs and all it can borrow there: Kueue's quota is the limit that counts.
    const sharedGpus = sharedPoolGpus(platform.kueue.sharedGpuPool, platform.gpuInstanceTypes);
    const namespace = new TenantNamespace(this, 'namespace', {
      tenantName: this.tenant.name,
      namespace: names.namespace,
      quota: { ...this.tenant.quota, gpus: this.tenant.quota.gpus + sharedGpus },
      serviceAccount: names.serviceAccount,
      workloadRoleArn: workload.roleArn,
      vpcCidr: platform.cluster.vpcCidr,
      endpointSubnetCidrs: props.network.endpointSubnetCidrs,
      peopleGroup: names.kubernetesGroup,
    });
    const tenant = this.tenant;
    new TenantQueues(this, 'queues', {
      tenantName: tenant.name,
      namespace: namespace.namespaceName,
      clusterQueue: names.clusterQueue,
      localQueue: KUEUE.localQueue,
      cohort: KUEUE.cohort,
      cpuFlavor: names.cpuFlavor,
      gpuFlavors: Object.fromEntries(tenant.gpuPools.map((pool) => [pool.name, names.gpuFlavor(pool.name)])),
      quotas: queueQuotas(tenant, platform.gpuInstanceTypes),
      sharedGpuFlavor: platform.kueue.sharedGpuPool ? { name: SHARED_GPU_POOL.flavor, gpus: tenant.sharedGpus ?? 0 } : undefined,
    });
    new TenantBucketVolumes(this, 'bucket-volumes', {
      tenantName: tenant.name,
      namespace: namespace.namespaceName,
      region: platform.region,
      buckets: Object.fromEntries(tenant.buckets.map((b) => [b.purpose, names.bucket(b.purpose)])),
      volumeName: names.bucketVolume,
      claimName: names.bucketClaim,
    });
    // The tenant's volumes: its claims must name this class (admission), so they are under its own key.
    new EbsStorageClass(this, 'storage-class', {
      name: names.storageClass,
      kmsKeyArn: key.keyArn,
      labels: { [TENANT_LABEL]: tenant.name },
      volumeTags: tags,
    });

    const inPlatformAccount = new Construct(this, 'platform-account');
    useProvider(inPlatformAccount, platformProvider);
    new TenantClusterAccess(inPlatformAccount, 'cluster-access', {
      clusterName: props.cluster.clusterName,
      principalArn: people.roleArn,
      kubernetesGroup: names.kubernetesGroup,
    });
    this.addGpuPools(inPlatformAccount, props, names, tags);
    this.addMetricsExport(inPlatformAccount, platform, names);
  }

  /** The tenant's share of the metrics export: its writer role here, its schedule in the platform account (docs/metrics.md). */
  private addMetricsExport(inPlatformAccount: Construct, platform: Platform, names: ReturnType<typeof tenantNames>): void {
    const exportNames = metricsExportNames(platform.name);
    const writer = new TenantMetricsWriterRole(this, 'metrics-writer-role', {
      roleName: names.metricsWriterRole,
      exporterRoleArn: roleArn(platform.platformAccountId, exportNames.exporterRole),
      cloudwatchNamespace: exportNames.tenantNamespace,
    });
    new TenantMetricsSchedule(inPlatformAccount, 'metrics-schedule', {
      scheduleName: names.metricsSchedule,
      stateMachineArn: stateMachineArn(platform.region, platform.platformAccountId, exportNames.stateMachine),
      schedulerRoleArn: roleArn(platform.platformAccountId, exportNames.schedulerRole),
      input: { namespace: names.namespace, writerRoleArn: writer.roleArn },
    });
  }

  /** One GPU pool per pool of the tenant file, with their node role; nothing without pools. */
  private addGpuPools(inPlatformAccount: Construct, props: TenantStackProps, names: ReturnType<typeof tenantNames>, tags: Record<string, string>): void {
    const { platform } = props;
    const tenant = this.tenant;
    if (tenant.gpuPools.length === 0) return;
    const nodeRole = new NodeRole(inPlatformAccount, 'gpu-node-role', { roleName: names.nodeRole, clusterName: props.cluster.clusterName });
    for (const pool of tenant.gpuPools) {
      new KarpenterGpuPool(this, `gpu-pool-${pool.name}`, {
        tenantName: tenant.name,
        pool,
        limits: poolLimits(pool, platform.gpuInstanceTypes),
        name: names.nodePool(pool.name),
        warmName: names.warmNodePool(pool.name),
        nodeRoleName: names.nodeRole,
        clusterName: platform.cluster.name,
        amiAlias: platform.karpenter.amiAlias,
        tags,
        dependsOn: nodeRole.policyAttachments,
      });
    }
  }
}
