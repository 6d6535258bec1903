import { asRecord, type Block, type Verdict } from '../rule';

/** Resources whose loss loses data or an account: Terraform must refuse to destroy them. */
export const PROTECTED_TYPES: Readonly<Record<string, string>> = {
  aws_s3_bucket: 'bucket',
  aws_kms_key: 'KMS key',
  aws_organizations_account: 'account',
};

/** Buckets, KMS keys and accounts are `prevent_destroy`. */
export function protectedFromDestroy(block: Block): Verdict {
  const what = PROTECTED_TYPES[block.type];
  if (block.kind !== 'resource' || what === undefined) return undefined;
  if (asRecord(block.config.lifecycle)?.prevent_destroy === true) return [];
  return [{ problem: `the ${what} is not prevent_destroy, so a plan may destroy it`, fix: 'add lifecycle: { preventDestroy: true }' }];
}
