import { nestedBlocks, type Block, type StackView, type Verdict } from '../rule';

/** An S3 bucket keeps object versions. */
export function s3IsVersioned(block: Block, stack: StackView): Verdict {
  if (block.kind !== 'resource' || block.type !== 'aws_s3_bucket') return undefined;
  const versioning = stack.attachedTo(block, 'aws_s3_bucket_versioning');
  const enabled =
    versioning.some((v) => nestedBlocks(v.config.versioning_configuration).some((c) => c.status === 'Enabled')) ||
    nestedBlocks(block.config.versioning).some((v) => v.enabled === true);
  if (enabled) return [];
  return [
    {
      problem: versioning.length === 0 ? 'the bucket has no aws_s3_bucket_versioning' : 'its versioning is not Enabled',
      fix: "add an S3BucketVersioningA for it with versioning_configuration status 'Enabled' (TenantBuckets does)",
    },
  ];
}
