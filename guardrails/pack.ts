/**
 * The platform's guardrail pack, applied to every stack on every synth. Ids are stable:
 * suppressions and the docs name them. An error fails the synth; a warning is annotated
 * and reported.
 */
import type { GuardrailRule } from './rule';
import { volumeClassUnderOwnKey } from './rules/volume-class-key';
import { bucketVolumeIsolated } from './rules/bucket-volume-isolation';
import { dataSourcesPlanOffline } from './rules/offline-data-sources';
import { iamAllowsNoFullAccess } from './rules/iam-no-full-access';
import { iamNoPublicPrincipal } from './rules/iam-no-public-principal';
import { iamPoliciesReadable } from './rules/iam-readable-policies';
import { karpenterPoolCapped } from './rules/karpenter-pool-capped';
import { karpenterPoolIsolated } from './rules/karpenter-pool-isolation';
import { kueueTenantHasQueue } from './rules/kueue-tenant-has-queue';
import { kueueTenantQueue } from './rules/kueue-tenant-queue';
import { kmsKeyRotates } from './rules/kms-key-rotation';
import { metricsScheduleOwnTenant } from './rules/metrics-schedule-own-tenant';
import { networkPoliciesEnforced } from './rules/network-policy-enforced';
import { noForeignTenantIdentifiers } from './rules/no-foreign-tenant-identifiers';
import { protectedFromDestroy } from './rules/prevent-destroy';
import { noTemplateInjection } from './rules/no-template-injection';
import { controlPoliciesExemptExactRoles } from './rules/scp-exact-exemptions';
import { hasRequiredTags } from './rules/required-tags';
import { s3BlocksPublicAccess } from './rules/s3-block-public-access';
import { s3KeepsObjectsOnDestroy } from './rules/s3-no-force-destroy';
import { s3UsesSseKms } from './rules/s3-sse-kms';
import { s3EnforcesTls } from './rules/s3-tls-only';
import { s3IsVersioned } from './rules/s3-versioning';

export const PLATFORM_GUARDRAILS: readonly GuardrailRule[] = [
  { id: 'MLP-S3-1', severity: 'error', description: 'S3 buckets block all public access', check: s3BlocksPublicAccess },
  { id: 'MLP-S3-2', severity: 'error', description: 'S3 buckets encrypt with SSE-KMS', check: s3UsesSseKms },
  { id: 'MLP-S3-3', severity: 'error', description: 'S3 bucket policies deny requests without TLS', check: s3EnforcesTls },
  { id: 'MLP-S3-4', severity: 'error', description: 'S3 buckets are versioned', check: s3IsVersioned },
  { id: 'MLP-S3-5', severity: 'error', description: 'S3 buckets are not force_destroy', check: s3KeepsObjectsOnDestroy },
  { id: 'MLP-KMS-1', severity: 'error', description: 'KMS keys rotate', check: kmsKeyRotates },
  { id: 'MLP-LIFE-1', severity: 'error', description: 'Buckets, KMS keys and accounts are prevent_destroy', check: protectedFromDestroy },
  { id: 'MLP-TAG-1', severity: 'error', description: 'Taggable resources carry tenant/platform, cost-center and managed-by tags', check: hasRequiredTags },
  { id: 'MLP-IAM-1', severity: 'error', description: "No policy statement allows '*' actions on '*' resources", check: iamAllowsNoFullAccess },
  { id: 'MLP-IAM-2', severity: 'error', description: "No Principal '*' without a condition that restricts who", check: iamNoPublicPrincipal },
  { id: 'MLP-IAM-3', severity: 'error', description: 'Policy documents are readable before apply', check: iamPoliciesReadable },
  { id: 'MLP-IAM-4', severity: 'error', description: 'Control policies exempt only exact role ARNs from their denies', check: controlPoliciesExemptExactRoles },
  { id: 'MLP-EKS-1', severity: 'error', description: 'Tenant Karpenter NodePools give their nodes the tenant taint and label', check: karpenterPoolIsolated },
  { id: 'MLP-EKS-2', severity: 'error', description: 'Clusters enforce NetworkPolicies (VPC CNI network policy agent on)', check: networkPoliciesEnforced },
  { id: 'MLP-EKS-3', severity: 'error', description: 'Karpenter NodePools are capped: a GPU, node, or CPU and memory limit', check: karpenterPoolCapped },
  { id: 'MLP-Q-1', severity: 'error', description: "Tenant ClusterQueues: own namespace, own flavors, no lending, the file's quotas", check: kueueTenantQueue },
  { id: 'MLP-Q-2', severity: 'error', description: 'A tenant namespace has exactly one ClusterQueue and one LocalQueue', check: kueueTenantHasQueue },
  { id: 'MLP-VOL-1', severity: 'error', description: "Tenant bucket volumes: own bucket, pod's credentials, pre-bound claim", check: bucketVolumeIsolated },
  { id: 'MLP-VOL-2', severity: 'error', description: "EBS StorageClasses use a customer-managed key, a tenant's its own", check: volumeClassUnderOwnKey },
  {
    id: 'MLP-MET-1',
    severity: 'error',
    description: "Tenant metrics schedules pair the tenant's namespace with its own account's writer role",
    check: metricsScheduleOwnTenant,
  },
  { id: 'MLP-TEN-1', severity: 'error', description: 'A tenant stack names nothing of another tenant', check: noForeignTenantIdentifiers },
  { id: 'MLP-TF-1', severity: 'error', description: 'No data source calls a cloud API at plan time', check: dataSourcesPlanOffline },
  { id: 'MLP-TF-2', severity: 'error', description: 'No value holds a Terraform template sequence the code did not write', check: noTemplateInjection },
];
