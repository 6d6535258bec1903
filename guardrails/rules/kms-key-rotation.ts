import type { Block, Verdict } from '../rule';

/** A symmetric encryption KMS key rotates its key material yearly. */
export function kmsKeyRotates(block: Block): Verdict {
  if (block.kind !== 'resource' || block.type !== 'aws_kms_key') return undefined;
  const spec = block.config.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
  const usage = block.config.key_usage ?? 'ENCRYPT_DECRYPT';
  // AWS rotates only symmetric encryption keys; asymmetric and HMAC keys cannot rotate.
  if (spec !== 'SYMMETRIC_DEFAULT' || usage !== 'ENCRYPT_DECRYPT') return undefined;
  if (block.config.enable_key_rotation === true) return [];
  return [{ problem: 'the key does not rotate', fix: 'set enableKeyRotation: true (ManagedKey does)' }];
}
