import { Construct } from 'constructs';
import { ManagedKey } from '../common/managed-key';
import type { PolicyStatement } from '../common/policy';

/** What encrypting and decrypting tenant data with SSE-KMS takes. */
export const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'] as const;

export interface TenantKeyProps {
  readonly tenantName: string;
  readonly tenantAccountId: string;
  readonly aliasName: string;
}

/**
 * The customer-managed key of one tenant's data: rotation on, 30-day deletion window,
 * `prevent_destroy`, and a key policy that admits only the tenant account's principals.
 */
export class TenantKey extends Construct {
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: TenantKeyProps) {
    super(scope, id);
    const key = new ManagedKey(this, 'key', {
      description: `Data of tenant ${props.tenantName}`,
      aliasName: props.aliasName,
      accountId: props.tenantAccountId,
    });
    this.keyArn = key.keyArn;
  }

  /** Statement that lets a role encrypt and decrypt with this key. */
  useStatement(): PolicyStatement {
    return { Sid: 'UseTenantKey', Effect: 'Allow', Action: [...KEY_USE_ACTIONS], Resource: this.keyArn };
  }
}
