/**
 * The one source of truth for what users write: tenant files and platform.yaml.
 * TypeScript types are inferred from these schemas and the committed JSON Schemas are
 * generated from them (`npm run schema`). Cross-field and cross-file rules that need the
 * platform settings live in `rules.ts`.
 */
import { z } from 'zod';

/** A lowercase DNS label (RFC 1123), the shape every derived AWS and Kubernetes name needs. */
export const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const ACCOUNT_ID = /^\d{12}$/;
/**
 * A strict e-mail grammar: no quoting, no comments, no '$', '%', '{' or '}', so an address
 * can never carry a Terraform template sequence into the budget or account it is written to.
 */
const EMAIL = /^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** EC2 instance types (`g6.12xlarge`, `p4d.24xlarge`). */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
/** IAM role names and ARNs as IAM defines them (paths included). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** Characters AWS accepts in tag keys and values. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** Longest tenant file accepted; checked before parsing. A real one is under 2 KiB. */
export const MAX_TENANT_FILE_BYTES = 64 * 1024;
/** Longest platform.yaml accepted; checked before parsing. */
export const MAX_PLATFORM_FILE_BYTES = 256 * 1024;
/** Buckets per tenant: each is a bucket with its own policy in the tenant account. */
export const MAX_BUCKETS = 50;
/** Smallest root volume of a GPU node: the accelerated AMI, the NVIDIA stack and the images. */
export const MIN_GPU_DISK_GI = 50;

const dnsLabel = (what: string) =>
  z.string().regex(DNS_LABEL, {
    message: `${what} must be a lowercase DNS label: a-z, 0-9 and '-', starting with a letter and not ending with '-'`,
  });
const accountId = z.string().regex(ACCOUNT_ID, { message: 'must be a 12-digit AWS account id, quoted as a string' });
const email = z
  .string()
  .max(254)
  .regex(EMAIL, { message: "must be an e-mail address such as team@example.com (letters, digits, '.', '_', '+', '-' before the @)" });
const instanceType = z.string().regex(INSTANCE_TYPE, { message: "must be an EC2 instance type such as 'g6.12xlarge'" });
const region = z.string().regex(REGION, { message: "must be an AWS region such as 'us-east-1'" });
const roleArn = z.string().regex(ROLE_ARN, { message: "must be an IAM role ARN such as 'arn:aws:iam::111111111111:role/deployer'" });
/** An IAM Identity Center group id: a UUID, optionally after a 10-character store prefix. */
const IDENTITY_STORE_ID = /^([0-9a-f]{10}-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

export const CAPACITY_TYPES = ['spot', 'on-demand'] as const;
export const LIFECYCLES = ['active', 'retained'] as const;
/** The EKS add-ons of the shared cluster, each pinned to a version. */
export const CLUSTER_ADDON_NAMES = [
  'vpc-cni',
  'kube-proxy',
  'coredns',
  'eks-pod-identity-agent',
  'aws-ebs-csi-driver',
  'aws-mountpoint-s3-csi-driver',
  'amazon-cloudwatch-observability',
] as const;
export type ClusterAddonName = (typeof CLUSTER_ADDON_NAMES)[number];

export const bucketSchema = z.strictObject({
  name: dnsLabel('bucket name').describe('Purpose of the bucket; the AWS bucket name is derived from tenant and purpose.'),
  noncurrentVersionDays: positiveInt.optional().describe('Days before noncurrent object versions expire. Default: 30.'),
});

export const gpuPoolSchema = z.strictObject({
  name: dnsLabel('pool name').describe('Pool name, unique within the tenant.'),
  instanceTypes: z.array(instanceType).min(1).describe("GPU instance types, each from platform.yaml's gpuInstanceTypes."),
  capacity: z.enum(CAPACITY_TYPES).describe('spot or on-demand.'),
  minNodes: nonNegativeInt.describe('Warm nodes kept running even when idle (a static Karpenter pool); 0 lets the pool scale to zero.'),
  maxNodes: positiveInt.describe(
    'Maximum nodes, warm ones included; the pool limits (GPU, CPU, memory) are this many of its largest type. At most the platform cap.',
  ),
  diskGi: z.number().int().min(MIN_GPU_DISK_GI).max(16384).optional().describe(`Root volume size in GiB, ${MIN_GPU_DISK_GI} to 16384. Default: 200.`),
});

export const tenantSchema = z.strictObject({
  name: dnsLabel('tenant name').describe('Tenant name; equals the file name without .yaml.'),
  owner: email.describe('Contact of the owning team; budget alerts go here.'),
  costCenter: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    message: "must be a cost-center code such as 'cc-4410' (letters, digits, '.', '_', '-')",
  }),
  account: z
    .strictObject({
      email: email.optional().describe("Root e-mail of the tenant's new AWS member account."),
      id: accountId.optional().describe('Adopt this existing member account instead of vending one.'),
    })
    .describe('Exactly one of email (vend a new account) or id (adopt an existing one).'),
  people: z
    .strictObject({
      identityCenterGroupId: z
        .string()
        .regex(IDENTITY_STORE_ID, {
          message:
            "must be an IAM Identity Center group id such as '906755e0f1-2e3a4b5c-6d7e-8f90-a1b2-c3d4e5f6a7b8' (Identity Center console: Groups, the group, Group ID)",
        })
        .describe("The IAM Identity Center group of the tenant's people; its members get the tenant's people role."),
    })
    .optional()
    .describe('Who may sign in to the tenant. None: nobody gets the people role through Identity Center.'),
  buckets: z.array(bucketSchema).min(1).max(MAX_BUCKETS).optional().describe('Default: datasets and artifacts.'),
  gpuPools: z.array(gpuPoolSchema).optional().describe('None means a CPU-only tenant.'),
  sharedGpus: nonNegativeInt
    .optional()
    .describe(
      "This tenant's guaranteed share of the platform's shared GPU pool (kueue.sharedGpuPool in platform.yaml), in GPUs; idle shared GPUs may be borrowed beyond it. Default: 0.",
    ),
  quota: z.strictObject({
    cpu: positiveInt.describe('requests.cpu in cores for the namespace.'),
    memoryGi: positiveInt.describe('requests.memory in GiB for the namespace.'),
    gpus: nonNegativeInt.describe('requests.nvidia.com/gpu for the namespace.'),
    pods: positiveInt.optional().describe('Maximum pods in the namespace. Default: 200.'),
  }),
  budget: z.strictObject({
    monthlyUsd: positiveInt.describe('Monthly AWS budget of the tenant account in USD.'),
  }),
  lifecycle: z.enum(LIFECYCLES).optional().describe('active (default) or retained: workloads removed, data and account kept.'),
});

const nodeGroupSchema = z.strictObject({
  instanceTypes: z.array(instanceType).min(1),
  minNodes: nonNegativeInt,
  maxNodes: positiveInt,
  desiredNodes: nonNegativeInt.optional(),
  amiReleaseVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+-\d{8}$/, {
      message: "must be an EKS AMI release version such as '1.32.1-20250410' (aws ssm get-parameters-by-path --path /aws/service/eks/optimized-ami)",
    })
    .optional()
    .describe(
      'EKS-optimized AMI release of the nodes, of cluster.kubernetesVersion; a new one rolls the nodes one at a time. Default: the tested release of that version.',
    ),
});

const generalPoolSchema = z.strictObject({
  instanceTypes: z.array(instanceType).min(1).describe('CPU instance types Karpenter may launch for pods that need no GPU.'),
  capacity: z.enum(CAPACITY_TYPES).optional().describe('spot or on-demand. Default: on-demand.'),
  maxCpu: positiveInt.describe('Ceiling of the whole pool in vCPUs (the NodePool limit): it never grows beyond it.'),
  maxMemoryGi: positiveInt.describe('Ceiling of the whole pool in GiB of memory (the NodePool limit).'),
  diskGi: positiveInt.optional().describe('Root volume size in GiB. Default: 100.'),
});

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const cidr = z.string().regex(CIDR, { message: "must be an IPv4 CIDR such as '10.40.0.0/16'" });

export const platformSchema = z.strictObject({
  name: dnsLabel('platform name').max(12).describe('Short prefix of every platform resource name.'),
  region: region.describe('Region of the shared cluster; one of allowedRegions.'),
  allowedRegions: z.array(region).min(1).describe('Regions tenants may use; the SCP denies the others.'),
  accounts: z.strictObject({
    management: accountId.describe('Organization management account: runs the organization stack.'),
    platform: accountId.describe("Account of the shared cluster, registries and the tenants' GPU nodes."),
  }),
  organization: z
    .strictObject({
      id: z
        .string()
        .regex(/^o-[a-z0-9]{10,32}$/, { message: "must be an organization id such as 'o-a1b2c3d4e5'" })
        .describe('Organization id; shared registries admit its principals.'),
      tenantOuParentId: z.string().regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, {
        message: "must be an organization root id ('r-...') or OU id ('ou-...')",
      }),
      rootId: z
        .string()
        .regex(/^r-[0-9a-z]{4,32}$/, { message: "must be an organization root id ('r-...')" })
        .optional()
        .describe(
          "Organization root id: the platform's pipeline roles are deployed into each tenant account through it (docs/accounts.md). Default: tenantOuParentId when that is the root; required otherwise.",
        ),
      tenantOuName: z.string().min(1).max(128).optional().describe('Default: Tenants. Free text: written to Terraform escaped.'),
      accountAccessRoleName: z
        .string()
        .regex(ROLE_NAME, { message: "must be an IAM role name (letters, digits and '+=,.@_-', up to 64)" })
        .optional()
        .describe('Role AWS Organizations creates in a vended account; the platform never uses it. Default: OrganizationAccountAccessRole.'),
    })
    .refine((o) => o.rootId !== undefined || o.tenantOuParentId.startsWith('r-'), {
      path: ['rootId'],
      message:
        "is required when tenantOuParentId is an OU: set it to the organization root id ('r-...'), through which the platform's pipeline roles reach every tenant account (docs/accounts.md)",
    }),
  identityCenter: z
    .strictObject({
      instanceArn: z
        .string()
        .regex(/^arn:aws:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, {
          message: "must be an IAM Identity Center instance ARN such as 'arn:aws:sso:::instance/ssoins-1234567890abcdef'",
        })
        .describe('Identity Center instance (in the management account) that holds the tenant permission sets.'),
      sessionHours: z.number().int().min(1).max(12).optional().describe('Sign-in session length of the tenant permission sets. Default: 8.'),
    })
    .optional()
    .describe("Where tenants' people sign in; required once a tenant file names a people group."),
  deployRoles: z.strictObject({
    management: roleArn,
    platform: roleArn,
  }),
  planRoles: z
    .strictObject({ management: roleArn, platform: roleArn })
    .optional()
    .describe('Read-only roles of the pull-request plan (the bootstrap stack creates them). Default: <name>-planner in the management and platform accounts.'),
  github: z
    .strictObject({
      repository: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, { message: "must be a GitHub repository such as 'example-org/ml-platform'" })
        .describe('owner/name of the repository whose workflows deploy and plan: the only one the pipeline roles trust.'),
      deployEnvironment: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,255}$/, { message: "must be a GitHub environment name of letters, digits and '._-'" })
        .optional()
        .describe('Protected GitHub environment of the deploy job (restricted to the main branch). Default: production.'),
      planEnvironment: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,255}$/, { message: "must be a GitHub environment name of letters, digits and '._-'" })
        .optional()
        .describe('GitHub environment with required reviewers that the pull-request plan job waits in before it gets the planner role. Default: plan.'),
    })
    .optional()
    .describe('Where the pipeline runs; required by the bootstrap stack (docs/bootstrap.md).'),
  state: z.strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "must be an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-')" }),
    keyPrefix: z.string().regex(/^[A-Za-z0-9!_.*'()/-]{1,200}$/, { message: "must be an S3 key prefix of letters, digits and !_.*'()/-" }),
    region,
  }),
  cluster: z.strictObject({
    name: dnsLabel('cluster name').max(40),
    kubernetesVersion: z.string().regex(/^1\.\d{2}$/, { message: "must be a Kubernetes minor version such as '1.32'" }),
    vpcCidr: cidr.refine(
      (v) => {
        const p = Number(v.split('/')[1]);
        return p >= 16 && p <= 20;
      },
      { message: 'must be a /16 to /20 network: pods take VPC addresses' },
    ),
    availabilityZones: z
      .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { message: "must be an availability zone such as 'us-east-1a'" }))
      .min(2, { message: 'must list at least two availability zones' })
      .max(3, { message: 'must list at most three availability zones (the VPC is split for three)' }),
    publicAccessCidrs: z.array(cidr).optional().describe('Empty or absent: private API endpoint only.'),
    systemNodes: nodeGroupSchema,
    generalNodes: generalPoolSchema.describe('The shared CPU pool for tenant CPU pods: a Karpenter NodePool that scales from zero up to its ceiling.'),
    logRetentionDays: positiveInt,
    adminRoleArns: z.array(roleArn).optional().describe('Roles granted cluster admin through access entries.'),
    addonVersions: z
      .partialRecord(
        z.enum(CLUSTER_ADDON_NAMES),
        z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, { message: "must be an EKS add-on version such as 'v1.19.5-eksbuild.1'" }),
      )
      .optional()
      .describe('Pinned EKS add-on versions (aws eks describe-addon-versions); absent ones take the platform default.'),
  }),
  ecrRepositories: z.array(dnsLabel('repository name')).describe('Shared base-image repositories.'),
  gpuInstanceTypes: z
    .record(
      instanceType,
      z.strictObject({
        gpus: positiveInt,
        vcpus: positiveInt.describe('vCPUs per instance: the pool CPU limit is maxNodes times the largest.'),
        memoryGi: positiveInt.describe('Memory per instance in GiB: the pool memory limit is maxNodes times the largest.'),
        onDemandHourlyUsd: z.number().positive(),
      }),
    )
    .describe('GPU instance types tenants may use, with their size (for the pool limits) and on-demand price (for cost estimates).'),
  karpenter: z
    .strictObject({
      chartVersion: z
        .string()
        .regex(/^\d+\.\d+\.\d+$/, { message: "must be an exact chart version such as '1.8.1'" })
        .describe('Karpenter Helm chart (oci://public.ecr.aws/karpenter/karpenter) version; the controller image follows it.'),
      amiAlias: z
        .string()
        .regex(/^al2023@v\d{8}$/, { message: "must pin an AL2023 EKS AMI release such as 'al2023@v20250410' (never @latest)" })
        .describe('AMI alias of every Karpenter node class; GPU instances get the NVIDIA variant of this release. Changing it rolls the nodes through drift.'),
    })
    .describe('The node provisioner: chart and AMI release, both pinned.'),
  kueue: z
    .strictObject({
      chartVersion: z
        .string()
        .regex(/^\d+\.\d+\.\d+$/, { message: "must be an exact chart version such as '0.14.3'" })
        .describe('Kueue Helm chart (oci://registry.k8s.io/kueue/charts/kueue) version; the controller image and CRDs follow it.'),
      sharedGpuPool: z
        .strictObject({
          instanceTypes: z.array(z.string().min(1)).min(1).describe('GPU instance types, each from gpuInstanceTypes.'),
          capacity: z.enum(CAPACITY_TYPES).describe('spot or on-demand.'),
          maxNodes: positiveInt.describe('Maximum nodes; the pool holds at most this many of its largest type.'),
          diskGi: positiveInt.optional().describe('Root volume size in GiB. Default: 200.'),
        })
        .optional()
        .describe(
          "A GPU pool the platform owns and all tenants share through Kueue: each tenant's sharedGpus are its nominal share, idle GPUs are borrowed and reclaimed by preemption. Absent: no shared pool.",
        ),
    })
    .optional()
    .describe(
      'The job queueing system of the shared cluster (tenant ClusterQueues and LocalQueues), pinned. Default: the version the platform is tested with.',
    ),
  nvidiaDevicePlugin: z
    .strictObject({
      version: z
        .string()
        .regex(/^v\d+\.\d+\.\d+$/, { message: "must be an exact NVIDIA device plugin release such as 'v0.17.1'" })
        .describe('Release of the NVIDIA device plugin (image nvcr.io/nvidia/k8s-device-plugin:<version>) that advertises nvidia.com/gpu on GPU nodes.'),
    })
    .optional()
    .describe('The NVIDIA device plugin of the GPU nodes, pinned. Default: the version the platform is tested with.'),
  tenantCaps: z.strictObject({
    maxGpus: nonNegativeInt.describe('Max requests.nvidia.com/gpu per tenant namespace.'),
    maxNodesPerPool: positiveInt,
    maxMonthlyBudgetUsd: positiveInt,
    maxCpu: positiveInt.optional(),
    maxMemoryGi: positiveInt.optional(),
  }),
  offboardedTenants: z
    .array(dnsLabel('tenant name'))
    .optional()
    .describe(
      'Tenants whose offboarding is complete (retained, data deleted, account closed and removed from the organization state): the plan review lets their tenant file be removed. README, Offboarding a tenant.',
    ),
  tags: z
    .record(
      z.string().min(1).max(128).regex(TAG_TEXT, { message: "tag keys take letters, digits, spaces and _.:/=+-@ (AWS's tag grammar)" }),
      z.string().max(256).regex(TAG_TEXT, { message: "tag values take letters, digits, spaces and _.:/=+-@ (AWS's tag grammar)" }),
    )
    .optional()
    .describe('Extra tags on every resource.'),
});

export type TenantFile = z.infer<typeof tenantSchema>;
export type PlatformFile = z.infer<typeof platformSchema>;
