import type { Block, Verdict } from '../rule';

/** An S3 bucket is not `force_destroy`: Terraform never deletes a bucket that still holds objects. */
export function s3KeepsObjectsOnDestroy(block: Block): Verdict {
  if (block.kind !== 'resource' || block.type !== 'aws_s3_bucket') return undefined;
  if (block.config.force_destroy !== true) return [];
  return [{ problem: 'the bucket has force_destroy on, so destroying it deletes every object', fix: 'set forceDestroy: false' }];
}
