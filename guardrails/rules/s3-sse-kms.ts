import { nestedBlocks, type Block, type StackView, type Verdict } from '../rule';

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);

function usesKmsKey(rules: unknown): boolean {
  return nestedBlocks(rules).some((rule) =>
    nestedBlocks(rule.apply_server_side_encryption_by_default).some(
      (defaults) => KMS_ALGORITHMS.has(String(defaults.sse_algorithm)) && typeof defaults.kms_master_key_id === 'string' && defaults.kms_master_key_id !== '',
    ),
  );
}

/** An S3 bucket encrypts new objects with a customer-managed KMS key (SSE-KMS). */
export function s3UsesSseKms(block: Block, stack: StackView): Verdict {
  if (block.kind !== 'resource' || block.type !== 'aws_s3_bucket') return undefined;
  const configurations = stack.attachedTo(block, 'aws_s3_bucket_server_side_encryption_configuration');
  const inline = nestedBlocks(block.config.server_side_encryption_configuration);
  if (configurations.some((c) => usesKmsKey(c.config.rule)) || inline.some((c) => usesKmsKey(c.rule))) return [];
  return [
    {
      problem:
        configurations.length + inline.length === 0
          ? 'the bucket has no server-side encryption configuration'
          : 'its encryption configuration does not use SSE-KMS with a key',
      fix: "add an S3BucketServerSideEncryptionConfigurationA with sse_algorithm 'aws:kms' and kms_master_key_id set to the tenant key (TenantBuckets does)",
    },
  ];
}
