/**
 * Which resources hold data, and which attribute changes make Terraform replace a resource
 * rather than update it in place. The attributes are those the providers mark ForceNew
 * (AWS provider 5.100, Kubernetes provider 2.38) for the types this platform synthesizes;
 * a `kubernetes_manifest` is replaced when its object's identity (kind, name) changes;
 * a type or attribute missing here is shown as an update. Kept small on purpose: it is
 * read by reviewers, and a real plan (`cdktf diff`) remains the authority.
 */
import { withoutIndices } from './blocks';

export interface DataBearingType {
  readonly noun: string;
  /** What destroying it loses. */
  readonly loss: string;
}

/** Types whose destruction loses data or identity that cannot be recreated. */
export const DATA_BEARING: Readonly<Record<string, DataBearingType>> = {
  aws_s3_bucket: { noun: 'bucket', loss: 'its objects are lost' },
  aws_kms_key: { noun: 'KMS key', loss: 'data encrypted with it becomes unreadable' },
  aws_organizations_account: { noun: 'AWS account', loss: 'the account leaves the organization with everything in it' },
  aws_ecr_repository: { noun: 'image repository', loss: 'its images are lost' },
};

const KUBERNETES_IDENTITY = ['metadata.name', 'metadata.namespace'];

/** Attributes that force replacement, by resource type. */
export const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = {
  aws_s3_bucket: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
  aws_kms_key: ['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id'],
  aws_organizations_account: ['email', 'name', 'iam_user_access_to_billing', 'role_name', 'create_govcloud'],
  aws_ecr_repository: ['name', 'encryption_configuration'],
  aws_eks_node_group: [
    'node_group_name',
    'node_group_name_prefix',
    'instance_types',
    'capacity_type',
    'disk_size',
    'ami_type',
    'cluster_name',
    'node_role_arn',
    'subnet_ids',
    'remote_access',
    'launch_template.id',
    'launch_template.name',
  ],
  aws_eks_cluster: ['name', 'role_arn'],
  // A manifest keeps its object while its identity stays: a NodePool's new instance types or limits are an update.
  kubernetes_manifest: ['manifest.apiVersion', 'manifest.kind', 'manifest.metadata.name', 'manifest.metadata.namespace'],
  aws_iam_role: ['name', 'name_prefix', 'path'],
  aws_iam_policy: ['name', 'name_prefix', 'path', 'description'],
  aws_kms_alias: ['name', 'name_prefix'],
  aws_budgets_budget: ['name', 'name_prefix', 'account_id'],
  aws_vpc: ['cidr_block'],
  aws_subnet: ['cidr_block', 'availability_zone', 'vpc_id'],
};

export function isDataBearing(type: string): boolean {
  return type in DATA_BEARING;
}

function matches(attribute: string, forcing: string): boolean {
  return attribute === forcing || attribute.startsWith(`${forcing}.`) || attribute.startsWith(`${forcing}[`);
}

/** True when changing `attributePath` of a `type` resource makes Terraform replace it. */
export function forcesReplacement(type: string, attributePath: string): boolean {
  const attribute = withoutIndices(attributePath);
  const forcing = FORCES_REPLACEMENT[type] ?? (type.startsWith('kubernetes_') ? KUBERNETES_IDENTITY : []);
  return forcing.some((f) => matches(attribute, f));
}

export function isIgnored(attributePath: string, ignored: readonly string[]): boolean {
  const attribute = withoutIndices(attributePath);
  return ignored.some((i) => i === '' || matches(attribute, i));
}
