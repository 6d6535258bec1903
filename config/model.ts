/**
 * The typed values the rest of the project works with. Constructs and stacks take these,
 * never the raw YAML; every default is applied here, in one visible place.
 */
import type { ClusterAddonName, PlatformFile, TenantFile } from './schema';
import { terraformLiteral } from './terraform-literal';
import { pipelineRoleNames } from './names';

export type CapacityType = 'spot' | 'on-demand';
export type Lifecycle = 'active' | 'retained';

/** The tenant's AWS account: vended by the organization stack, or an existing one adopted. */
export type TenantAccount = { readonly kind: 'vended'; readonly email: string } | { readonly kind: 'adopted'; readonly id: string };

/** The tenant's account id where the configuration knows it (an adopted account); a vended one's is known after vending. */
export function knownAccountId(tenant: { readonly account: TenantAccount }): string | undefined {
  return tenant.account.kind === 'adopted' ? tenant.account.id : undefined;
}

export interface TenantBucket {
  readonly purpose: string;
  readonly noncurrentVersionDays: number;
}

export interface GpuPool {
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly capacity: CapacityType;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly diskGi: number;
}

export interface TenantQuota {
  readonly cpu: number;
  readonly memoryGi: number;
  readonly gpus: number;
  readonly pods: number;
}

export interface Tenant {
  readonly name: string;
  readonly owner: string;
  readonly costCenter: string;
  readonly account: TenantAccount;
  /** IAM Identity Center group of the tenant's people; undefined: no sign-in path. */
  readonly peopleGroupId?: string;
  readonly buckets: readonly TenantBucket[];
  readonly gpuPools: readonly GpuPool[];
  readonly quota: TenantQuota;
  /** Guaranteed share of the platform's shared GPU pool, in GPUs. @default 0 */
  readonly sharedGpus?: number;
  readonly monthlyBudgetUsd: number;
  readonly lifecycle: Lifecycle;
}

export interface NodeGroupSize {
  readonly instanceTypes: readonly string[];
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly desiredNodes: number;
  /** EKS-optimized AMI release the nodes run, pinned (`1.32.1-20250410`). */
  readonly amiReleaseVersion: string;
}

/** The shared CPU pool (Karpenter): what it may launch and its ceiling. */
export interface GeneralPoolSettings {
  readonly instanceTypes: readonly string[];
  readonly capacity: CapacityType;
  readonly maxCpu: number;
  readonly maxMemoryGi: number;
  readonly diskGi: number;
}

export interface GpuInstanceType {
  readonly gpus: number;
  readonly vcpus: number;
  readonly memoryGi: number;
  readonly onDemandHourlyUsd: number;
}

/** The node provisioner, pinned. */
export interface KarpenterSettings {
  readonly chartVersion: string;
  readonly amiAlias: string;
}

/** A GPU pool the platform owns, shared by all tenants through Kueue. */
export interface SharedGpuPool {
  readonly instanceTypes: readonly string[];
  readonly capacity: CapacityType;
  readonly maxNodes: number;
  readonly diskGi: number;
}

/** The job queueing system, pinned. */
export interface KueueSettings {
  readonly chartVersion: string;
  /** Absent: no shared GPU pool. */
  readonly sharedGpuPool?: SharedGpuPool;
}

/** The NVIDIA device plugin of the GPU nodes, pinned. */
export interface NvidiaDevicePluginSettings {
  readonly version: string;
}

export interface Platform {
  readonly name: string;
  readonly region: string;
  readonly allowedRegions: readonly string[];
  readonly managementAccountId: string;
  readonly platformAccountId: string;
  readonly organizationId: string;
  readonly tenantOuParentId: string;
  /** The organization root (`r-...`): the target through which the platform's pipeline roles reach every tenant account. */
  readonly organizationRootId: string;
  /** Free text, already escaped for Terraform (terraform-literal.ts): write it as is. */
  readonly tenantOuName: string;
  readonly accountAccessRoleName: string;
  readonly deployRoles: { readonly management: string; readonly platform: string };
  /** Read-only roles the pull-request plan assumes, in the same accounts as the deploy roles. */
  readonly planRoles: { readonly management: string; readonly platform: string };
  /** The repository and deploy environment the pipeline roles trust; undefined: not configured (bootstrap refuses). */
  readonly github?: { readonly repository: string; readonly deployEnvironment: string; readonly planEnvironment: string };
  /** Identity Center instance of the tenant permission sets; undefined: none configured. */
  readonly identityCenter?: { readonly instanceArn: string; readonly sessionHours: number };
  readonly state: { readonly bucket: string; readonly keyPrefix: string; readonly region: string };
  readonly cluster: {
    readonly name: string;
    readonly kubernetesVersion: string;
    readonly vpcCidr: string;
    readonly availabilityZones: readonly string[];
    readonly publicAccessCidrs: readonly string[];
    readonly systemNodes: NodeGroupSize;
    readonly generalNodes: GeneralPoolSettings;
    readonly logRetentionDays: number;
    readonly adminRoleArns: readonly string[];
    /** Every EKS add-on of the cluster, pinned. */
    readonly addonVersions: Readonly<Record<ClusterAddonName, string>>;
  };
  readonly ecrRepositories: readonly string[];
  readonly gpuInstanceTypes: Readonly<Record<string, GpuInstanceType>>;
  readonly karpenter: KarpenterSettings;
  readonly kueue: KueueSettings;
  readonly nvidiaDevicePlugin: NvidiaDevicePluginSettings;
  readonly tenantCaps: {
    readonly maxGpus: number;
    readonly maxNodesPerPool: number;
    readonly maxMonthlyBudgetUsd: number;
    readonly maxCpu?: number;
    readonly maxMemoryGi?: number;
  };
  readonly tags: Readonly<Record<string, string>>;
  /** Tenants whose offboarding is complete: their tenant file may be removed. */
  readonly offboardedTenants: readonly string[];
}

export const DEFAULTS = {
  buckets: ['datasets', 'artifacts'],
  noncurrentVersionDays: 30,
  gpuPoolDiskGi: 200,
  generalPoolDiskGi: 100,
  generalPoolCapacity: 'on-demand' as CapacityType,
  quotaPods: 200,
  lifecycle: 'active' as Lifecycle,
  tenantOuName: 'Tenants',
  accountAccessRoleName: 'OrganizationAccountAccessRole',
  /** Kueue chart the platform is tested with (its API is kueue.x-k8s.io/v1beta1); platform.yaml pins its own. */
  kueueChartVersion: '0.14.3',
  /** NVIDIA device plugin release the platform is tested with; platform.yaml pins its own. */
  nvidiaDevicePluginVersion: 'v0.17.1',
  /** The EKS-optimized AL2023 release tested with Kubernetes 1.32 (the one Karpenter's default alias names). */
  systemNodesAmiReleaseVersion: '1.32.1-20250410',
  /** Versions tested with Kubernetes 1.32; platform.yaml pins its own. */
  addonVersions: {
    'vpc-cni': 'v1.19.5-eksbuild.1',
    'kube-proxy': 'v1.32.3-eksbuild.7',
    coredns: 'v1.11.4-eksbuild.14',
    'eks-pod-identity-agent': 'v1.3.7-eksbuild.2',
    'aws-ebs-csi-driver': 'v1.44.0-eksbuild.1',
    'aws-mountpoint-s3-csi-driver': 'v1.15.0-eksbuild.1',
    'amazon-cloudwatch-observability': 'v4.1.0-eksbuild.1',
  } satisfies Record<ClusterAddonName, string>,
  identityCenterSessionHours: 8,
  deployEnvironment: 'production',
  planEnvironment: 'plan',
} as const;

function bucketsOf(file: TenantFile): NonNullable<TenantFile['buckets']> {
  return file.buckets ?? DEFAULTS.buckets.map((name) => ({ name }));
}

export function toTenant(file: TenantFile): Tenant {
  return {
    name: file.name,
    owner: file.owner,
    costCenter: file.costCenter,
    account: file.account.id !== undefined ? { kind: 'adopted', id: file.account.id } : { kind: 'vended', email: file.account.email ?? '' },
    peopleGroupId: file.people?.identityCenterGroupId,
    buckets: bucketsOf(file).map((b) => ({
      purpose: b.name,
      noncurrentVersionDays: b.noncurrentVersionDays ?? DEFAULTS.noncurrentVersionDays,
    })),
    gpuPools: (file.gpuPools ?? []).map((p) => ({
      name: p.name,
      instanceTypes: p.instanceTypes,
      capacity: p.capacity,
      minNodes: p.minNodes,
      maxNodes: p.maxNodes,
      diskGi: p.diskGi ?? DEFAULTS.gpuPoolDiskGi,
    })),
    quota: { cpu: file.quota.cpu, memoryGi: file.quota.memoryGi, gpus: file.quota.gpus, pods: file.quota.pods ?? DEFAULTS.quotaPods },
    sharedGpus: file.sharedGpus ?? 0,
    monthlyBudgetUsd: file.budget.monthlyUsd,
    lifecycle: file.lifecycle ?? DEFAULTS.lifecycle,
  };
}

function toNodeGroupSize(n: PlatformFile['cluster']['systemNodes']): NodeGroupSize {
  return {
    instanceTypes: n.instanceTypes,
    minNodes: n.minNodes,
    maxNodes: n.maxNodes,
    desiredNodes: n.desiredNodes ?? n.minNodes,
    amiReleaseVersion: n.amiReleaseVersion ?? DEFAULTS.systemNodesAmiReleaseVersion,
  };
}

export function toPlatform(file: PlatformFile): Platform {
  return {
    name: file.name,
    region: file.region,
    allowedRegions: file.allowedRegions,
    managementAccountId: file.accounts.management,
    platformAccountId: file.accounts.platform,
    organizationId: file.organization.id,
    tenantOuParentId: file.organization.tenantOuParentId,
    // The schema requires rootId unless tenantOuParentId is the root.
    organizationRootId: file.organization.rootId ?? file.organization.tenantOuParentId,
    // Free text (AWS allows any OU name): escaped, see terraform-literal.ts.
    tenantOuName: terraformLiteral(file.organization.tenantOuName ?? DEFAULTS.tenantOuName),
    accountAccessRoleName: file.organization.accountAccessRoleName ?? DEFAULTS.accountAccessRoleName,
    deployRoles: file.deployRoles,
    planRoles: file.planRoles ?? {
      management: `arn:aws:iam::${file.accounts.management}:role/${pipelineRoleNames(file.name).planner}`,
      platform: `arn:aws:iam::${file.accounts.platform}:role/${pipelineRoleNames(file.name).planner}`,
    },
    github: file.github && {
      repository: file.github.repository,
      deployEnvironment: file.github.deployEnvironment ?? DEFAULTS.deployEnvironment,
      planEnvironment: file.github.planEnvironment ?? DEFAULTS.planEnvironment,
    },
    identityCenter: file.identityCenter && {
      instanceArn: file.identityCenter.instanceArn,
      sessionHours: file.identityCenter.sessionHours ?? DEFAULTS.identityCenterSessionHours,
    },
    state: file.state,
    cluster: {
      name: file.cluster.name,
      kubernetesVersion: file.cluster.kubernetesVersion,
      vpcCidr: file.cluster.vpcCidr,
      availabilityZones: file.cluster.availabilityZones,
      publicAccessCidrs: file.cluster.publicAccessCidrs ?? [],
      systemNodes: toNodeGroupSize(file.cluster.systemNodes),
      generalNodes: {
        instanceTypes: file.cluster.generalNodes.instanceTypes,
        capacity: file.cluster.generalNodes.capacity ?? DEFAULTS.generalPoolCapacity,
        maxCpu: file.cluster.generalNodes.maxCpu,
        maxMemoryGi: file.cluster.generalNodes.maxMemoryGi,
        diskGi: file.cluster.generalNodes.diskGi ?? DEFAULTS.generalPoolDiskGi,
      },
      logRetentionDays: file.cluster.logRetentionDays,
      adminRoleArns: file.cluster.adminRoleArns ?? [],
      addonVersions: { ...DEFAULTS.addonVersions, ...file.cluster.addonVersions },
    },
    ecrRepositories: file.ecrRepositories,
    gpuInstanceTypes: file.gpuInstanceTypes,
    karpenter: file.karpenter,
    kueue: {
      chartVersion: file.kueue?.chartVersion ?? DEFAULTS.kueueChartVersion,
      sharedGpuPool: file.kueue?.sharedGpuPool && { ...file.kueue.sharedGpuPool, diskGi: file.kueue.sharedGpuPool.diskGi ?? DEFAULTS.gpuPoolDiskGi },
    },
    nvidiaDevicePlugin: { version: file.nvidiaDevicePlugin?.version ?? DEFAULTS.nvidiaDevicePluginVersion },
    tenantCaps: file.tenantCaps,
    tags: file.tags ?? {},
    offboardedTenants: file.offboardedTenants ?? [],
  };
}
