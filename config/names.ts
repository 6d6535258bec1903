/**
 * Every derived AWS and Kubernetes name, computed in one place. Validation checks each of
 * them against its service limit, so a tenant name that would overflow one is rejected
 * in the tenant file rather than at apply time.
 */
import { createHash } from 'node:crypto';
import { namespaceReservation } from './reserved-namespaces';

export const STACK = {
  organization: 'organization',
  shared: 'shared',
  sharedK8s: 'shared-k8s',
  sharedPools: 'shared-pools',
} as const;

export const TENANT_STACK_PREFIX = 'tenant-';

/** Prefix of a tenant's account stack (management account: its account, SCP, budgets, sign-in). */
export const ACCOUNT_STACK_PREFIX = 'account-';

/** The shared stack's output a tenant's kubeconfig is written from (`terraform output -json`). */
export const CLUSTER_ACCESS_OUTPUT = 'cluster_access';

export function tenantStackName(tenant: string): string {
  return `${TENANT_STACK_PREFIX}${tenant}`;
}

/** `account-<tenant>`: the stack that vends (or adopts) the tenant's account in the management account. */
export function accountStackName(tenant: string): string {
  return `${ACCOUNT_STACK_PREFIX}${tenant}`;
}

/** Service limits of the names we derive. */
export const NAME_LIMITS = {
  s3Bucket: 63,
  iamRole: 64,
  iamPolicy: 128,
  k8sNamespace: 63,
  k8sServiceAccount: 253,
  /** Karpenter writes the NodePool name as a label value (`karpenter.sh/nodepool`). */
  karpenterNodePool: 63,
  kmsAlias: 256,
  budget: 100,
  organizationsAccount: 50,
  ssoPermissionSet: 32,
  schedulerSchedule: 64,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

/** Names a tenant may not take: they collide with platform stacks or system namespaces. */
export const RESERVED_TENANT_NAMES: readonly string[] = [
  'shared',
  'shared-k8s',
  'organization',
  'platform',
  'default',
  'system',
  'admin',
  'root',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'amazon-cloudwatch',
  'cert-manager',
  'karpenter',
  'nvidia-device-plugin',
  // The shared GPU pool's NodePool and Kueue flavor (a namespace named so would read as one).
  'shared-gpu',
  // Whole values that every tenant stack contains: a tenant of that name would look like
  // it is named in every other tenant's stack, and the cross-tenant guardrail would fail.
  'aws',
  'eks',
  's3',
  'kubernetes',
  'people',
  'workload',
  'namespace',
  'restricted',
  'latest',
  'kube-dns',
  'get-token',
  'tenant-quota',
  'container-defaults',
  'default-deny',
  'allow-same-namespace',
  'allow-cluster-dns',
  'allow-egress-outside-cluster',
  'expire-noncurrent-versions',
  'ml-platform-blueprint',
  'ml-platform',
  'tenant-people',
  'system-priority-quota',
  'volume-mounts',
  // The metrics writer role's inline policy (constructs/tenant/tenant-metrics-writer-role.ts).
  'write-metrics',
];

/** Why a tenant may not take `name` (stack, platform value or namespace reserved), or undefined. */
export function tenantNameReservation(name: string, platformName?: string): string | undefined {
  if (RESERVED_TENANT_NAMES.includes(name)) return `'${name}' is reserved for the platform (system namespaces and stack names)`;
  return namespaceReservation(name, platformName);
}

export function isReservedTenantName(name: string, platformName?: string): boolean {
  return tenantNameReservation(name, platformName) !== undefined;
}

/** Label and tag keys the platform writes on tenant resources. */
export const TENANT_LABEL = 'tenant';
export const GPU_TAINT_KEY = 'nvidia.com/gpu';

/**
 * Taint of the system nodes: only critical add-ons (CoreDNS, the node provisioner, the device
 * plugin's control parts) tolerate it, so tenant pods never land beside them. The key is the
 * one EKS add-ons and the Karpenter chart already tolerate.
 */
export const SYSTEM_NODE_TAINT = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' } as const;

/**
 * Label on every object the platform manages inside a tenant namespace (policies, quota,
 * limits, service account, bindings): admission denies tenants changing or deleting them.
 */
export const MANAGED_BY_LABEL = { key: 'app.kubernetes.io/managed-by', value: 'ml-platform' } as const;

/**
 * Kubernetes groups of tenant people: the people role's access entry maps to
 * `<prefix><tenant>`, and only the tenant's own RoleBinding names that group.
 */
export const TENANT_GROUP_PREFIX = 'ml-platform:tenant:';

/**
 * Tag that marks the subnets and the security group Karpenter launches nodes into; node
 * classes select them by this tag and the cluster name, never by id.
 */
export const KARPENTER_DISCOVERY_TAG = 'karpenter.sh/discovery';

/** Where the Karpenter controller runs and the names of its AWS side, in the platform account. */
export function karpenterNames(platformName: string) {
  return {
    namespace: 'karpenter',
    serviceAccount: 'karpenter',
    release: 'karpenter',
    controllerRole: `${platformName}-karpenter-controller`,
    controllerPolicy: `${platformName}-karpenter-controller`,
    interruptionQueue: `${platformName}-karpenter-interruption`,
    /** Prefix of the EventBridge rules that feed the queue. */
    eventRulePrefix: `${platformName}-karpenter`,
    /** The shared CPU pool: its NodePool and EC2NodeClass, and the role of its nodes. */
    generalPool: 'general',
    generalNodeRole: `${platformName}-general-nodes`,
  } as const;
}

/**
 * EBS volumes of the shared cluster: the CSI driver controller's role, the platform's own
 * volume key and the default StorageClass (the platform's volumes; tenants use their own
 * class, `tenantNames().storageClass`).
 */
export function volumeNames(platformName: string) {
  return {
    csiDriverRole: `${platformName}-ebs-csi`,
    platformKeyAlias: `alias/${platformName}/ebs-volumes`,
    defaultClass: 'gp3-encrypted',
  } as const;
}

/**
 * The tenant metrics export (docs/metrics.md), platform side: one Step Functions state
 * machine that copies one namespace's Container Insights metrics into that tenant's own
 * account, the role it runs as, and the role EventBridge Scheduler starts it with. Tenant
 * side: `tenantNames().metricsWriterRole` and `.metricsSchedule`.
 */
export function metricsExportNames(platformName: string) {
  return {
    stateMachine: `${platformName}-tenant-metrics-export`,
    exporterRole: `${platformName}-metrics-exporter`,
    schedulerRole: `${platformName}-metrics-scheduler`,
    logGroup: `/aws/vendedlogs/states/${platformName}-tenant-metrics-export`,
    /** The writer role of every tenant, as a pattern: the exporter may assume any of them, and each trusts only the exporter. */
    writerRolePattern: `${platformName}-*-metrics-writer`,
    /** The CloudWatch namespace the tenant's copy lands in, in the tenant's account. */
    tenantNamespace: `${platformName}/ContainerInsights`,
  } as const;
}

/**
 * Suffix of a tenant's StorageClass (cluster-scoped): `<tenant>.gp3`. Tenant names never
 * contain a dot, so no tenant's class is another's or the platform's (`gp3-encrypted`); the
 * admission policy derives the own class from the namespace's tenant label with it.
 */
export const TENANT_STORAGE_CLASS_SUFFIX = '.gp3';

/**
 * Where Kueue runs, and the names every tenant's queues share: one cohort for all tenant
 * ClusterQueues, and the LocalQueue name each tenant namespace gets (the name Kueue's
 * LocalQueue defaulting looks for).
 */
export const KUEUE = {
  namespace: 'kueue-system',
  release: 'kueue',
  cohort: 'ml-platform',
  localQueue: 'default',
  /** Label a Job (or other workload) carries to be queued in a LocalQueue. */
  queueNameLabel: 'kueue.x-k8s.io/queue-name',
} as const;

/**
 * The platform's shared GPU pool (when platform.yaml has `kueue.sharedGpuPool`): its Karpenter
 * objects, its nodes' pool label and its Kueue flavor. Its node role is named like a tenant's
 * with the reserved tenant name `shared`, so the Karpenter controller may pass it.
 */
export const SHARED_GPU_POOL = { pool: 'shared', name: 'shared-gpu', flavor: 'shared-gpu' } as const;

/**
 * The roles through which an organization's management account administers member accounts:
 * AWS Organizations' default access role and AWS Control Tower's. In a tenant account they
 * are tenant principals like any other (an adopted account's previous owner made them and
 * chose their trust): no control exempts them, and the platform never uses them.
 */
export const WELL_KNOWN_ACCESS_ROLE_NAMES: readonly string[] = ['OrganizationAccountAccessRole', 'AWSControlTowerExecution'];

/**
 * The pipeline's own roles, the same names in the management, platform and tenant
 * accounts: `deployer` applies (trusted by the main branch's deploy environment),
 * `planner` only reads (trusted by pull requests). The SCPs and trust policies name them
 * by exact ARN, never by pattern.
 */
export function pipelineRoleNames(platformName: string) {
  return {
    deployer: `${platformName}-deployer`,
    planner: `${platformName}-planner`,
    /** Inline policy of the planner's explicit denies. */
    plannerDenies: `${platformName}-planner-denies`,
    /**
     * The CloudFormation StackSet that creates the deployer and the tenant's planner in every
     * tenant account (its stacks there are named `StackSet-<this>-<uuid>`).
     */
    tenantRolesStackSet: `${platformName}-tenant-pipeline-roles`,
  } as const;
}

/** Short, stable hash of a name, for names that must be shortened and stay unique. */
function uniqueSuffix(...parts: string[]): string {
  return createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 8);
}

/** `name` itself when it fits, otherwise its start and a hash of all of it: unique by construction. */
function shortened(name: string, limit: number): string {
  if (name.length <= limit) return name;
  const hash = uniqueSuffix(name);
  return `${name.slice(0, limit - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

export interface TenantNames {
  readonly stack: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly workloadRole: string;
  readonly peopleRole: string;
  readonly peopleBoundaryPolicy: string;
  readonly nodeRole: string;
  readonly keyAlias: string;
  readonly budget: string;
  /** Second budget: the tenant account's whole spend, tagged or not. */
  readonly accountBudget: string;
  readonly accountName: string;
  /** Kubernetes group the people role maps to in the shared cluster. */
  readonly kubernetesGroup: string;
  /** Identity Center permission set (32 characters at most; long names end in a hash of the full one). */
  readonly permissionSet: string;
  /** The account's own service control policy (platform-controls). */
  readonly platformControlsPolicy: string;
  /**
   * The pipeline's read-only planner in the tenant account (the pull-request plan's way in).
   * Named after the tenant, like every tenant role, so no two tenants share a role name.
   */
  readonly planner: string;
  /** The tenant's account stack (`account-<tenant>`). */
  readonly accountStack: string;
  /** Role in the tenant account that only the platform's metrics exporter assumes, to write the tenant's metrics there. */
  readonly metricsWriterRole: string;
  /** EventBridge Scheduler schedule (platform account) that starts the export of the tenant's metrics. */
  readonly metricsSchedule: string;
  bucket(purpose: string): string;
  /** Karpenter NodePool and EC2NodeClass of a pool: `<tenant>.<pool>`. */
  nodePool(pool: string): string;
  /** The static NodePool that keeps a pool's warm nodes: `<tenant>.<pool>.warm`. */
  warmNodePool(pool: string): string;
  /** Kueue ClusterQueue of the tenant (cluster-scoped): the tenant's name. */
  readonly clusterQueue: string;
  /** Kueue ResourceFlavor of the tenant's CPU and memory, wherever its pods run: the tenant's name. */
  readonly cpuFlavor: string;
  /** Kueue ResourceFlavor of a pool's GPUs: `<tenant>.<pool>`, like its NodePool. */
  gpuFlavor(pool: string): string;
  /** PersistentVolume of a bucket (cluster-scoped): `<tenant>.<purpose>`. */
  bucketVolume(purpose: string): string;
  /** The claim of a bucket's volume in the tenant namespace: `s3-<purpose>`. */
  bucketClaim(purpose: string): string;
  /** The tenant's StorageClass (cluster-scoped): EBS volumes encrypted with the tenant's key, `<tenant>.gp3`. */
  readonly storageClass: string;
}

/**
 * Separator of tenant and pool in Karpenter object names. Tenant and pool names are DNS
 * labels, which never contain a dot, so `<tenant>.<pool>` is injective: tenant `a-b` with
 * pool `c` and tenant `a` with pool `b-c` give `a-b.c` and `a.b-c`. A dash would give
 * `a-b-c` twice.
 */
export const POOL_NAME_SEPARATOR = '.';

/**
 * Stands for a vended account's id where it is not known yet (before vending): as long as
 * an id (12 characters), so length checks hold for the real name.
 */
export const UNKNOWN_ACCOUNT_ID = '<account-id>';

/**
 * Names of everything one tenant gets. `platformName` prefixes what lives in shared
 * accounts (platform, management) so that tenant names never collide with platform names.
 * Bucket names end in the tenant's account id: nobody outside can tell a vended account's
 * id before it exists, and two tenants never share an account, so two tenants never derive
 * the same bucket name. (The platform account id no longer enters any name; the parameter
 * stays so that callers need not change.)
 */
export function tenantNames(platformName: string, _platformAccountId: string, tenant: string, tenantAccountId: string = UNKNOWN_ACCOUNT_ID): TenantNames {
  return {
    stack: tenantStackName(tenant),
    namespace: tenant,
    serviceAccount: `${tenant}-workload`,
    workloadRole: `${tenant}-workload`,
    peopleRole: `${tenant}-people`,
    peopleBoundaryPolicy: `${tenant}-people-boundary`,
    nodeRole: `${platformName}-${tenant}-gpu-nodes`,
    keyAlias: `alias/${platformName}/${tenant}/data`,
    budget: `${platformName}-${tenant}-monthly`,
    accountBudget: `${platformName}-${tenant}-account`,
    accountName: `${platformName}-${tenant}`,
    kubernetesGroup: `${TENANT_GROUP_PREFIX}${tenant}`,
    platformControlsPolicy: `${platformName}-${tenant}-platform-controls`,
    planner: `${platformName}-${tenant}-planner`,
    accountStack: accountStackName(tenant),
    metricsWriterRole: `${platformName}-${tenant}-metrics-writer`,
    metricsSchedule: `${platformName}-${tenant}-metrics-export`,
    permissionSet: shortened(`${platformName}-${tenant}`, NAME_LIMITS.ssoPermissionSet),
    bucket: (purpose) => `${platformName}-${tenant}-${purpose}-${tenantAccountId}`,
    nodePool: (pool) => `${tenant}${POOL_NAME_SEPARATOR}${pool}`,
    warmNodePool: (pool) => `${tenant}${POOL_NAME_SEPARATOR}${pool}${POOL_NAME_SEPARATOR}warm`,
    clusterQueue: tenant,
    cpuFlavor: tenant,
    gpuFlavor: (pool) => `${tenant}${POOL_NAME_SEPARATOR}${pool}`,
    bucketVolume: (purpose) => `${tenant}${POOL_NAME_SEPARATOR}${purpose}`,
    bucketClaim: (purpose) => `s3-${purpose}`,
    storageClass: `${tenant}${TENANT_STORAGE_CLASS_SUFFIX}`,
  };
}

export interface DerivedName {
  readonly kind: NameKind;
  readonly name: string;
  /** Field of the tenant file the name comes from, for error messages. */
  readonly from: readonly (string | number)[];
}

/** Every derived name of a tenant, with where it comes from, for the length checks. */
export function derivedNames(
  platformName: string,
  platformAccountId: string,
  tenant: { name: string; buckets: readonly string[]; gpuPools: readonly string[]; accountId?: string },
): DerivedName[] {
  const n = tenantNames(platformName, platformAccountId, tenant.name, tenant.accountId);
  const fromName = ['name'];
  return [
    { kind: 'k8sNamespace', name: n.namespace, from: fromName },
    { kind: 'k8sServiceAccount', name: n.serviceAccount, from: fromName },
    { kind: 'iamRole', name: n.workloadRole, from: fromName },
    { kind: 'iamRole', name: n.peopleRole, from: fromName },
    { kind: 'iamRole', name: n.nodeRole, from: fromName },
    { kind: 'iamRole', name: n.planner, from: fromName },
    { kind: 'iamRole', name: n.metricsWriterRole, from: fromName },
    { kind: 'schedulerSchedule', name: n.metricsSchedule, from: fromName },
    { kind: 'iamPolicy', name: n.peopleBoundaryPolicy, from: fromName },
    { kind: 'kmsAlias', name: n.keyAlias, from: fromName },
    { kind: 'budget', name: n.budget, from: fromName },
    { kind: 'budget', name: n.accountBudget, from: fromName },
    { kind: 'organizationsAccount', name: n.accountName, from: fromName },
    ...tenant.buckets.map((b, i): DerivedName => ({ kind: 's3Bucket', name: n.bucket(b), from: ['buckets', i, 'name'] })),
    // The warm pool's name is the longest a pool derives.
    ...tenant.gpuPools.map((p, i): DerivedName => ({ kind: 'karpenterNodePool', name: n.warmNodePool(p), from: ['gpuPools', i, 'name'] })),
  ];
}
