import type { Block, StackView, Verdict } from '../rule';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

/** An S3 bucket has a public access block with all four settings on. */
export function s3BlocksPublicAccess(block: Block, stack: StackView): Verdict {
  if (block.kind !== 'resource' || block.type !== 'aws_s3_bucket') return undefined;
  const accessBlocks = stack.attachedTo(block, 'aws_s3_bucket_public_access_block').map((b) => b.config);
  if (accessBlocks.length === 0) {
    return [
      {
        problem: 'the bucket has no aws_s3_bucket_public_access_block',
        fix: `add an S3BucketPublicAccessBlock for it with ${SETTINGS.join(', ')} all true (TenantBuckets does)`,
      },
    ];
  }
  const complete = accessBlocks.some((config) => SETTINGS.every((setting) => config[setting] === true));
  if (complete) return [];
  const off = SETTINGS.filter((setting) => !accessBlocks.some((config) => config[setting] === true));
  return [{ problem: `its public access block leaves ${off.join(', ')} off`, fix: `set ${off.join(', ')} to true on the S3BucketPublicAccessBlock` }];
}
