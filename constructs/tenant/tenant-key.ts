import { Construct } from 'constructs';
import { volumeKeyStatements } from '../cluster/ebs-csi-driver';
import { ManagedKey } from '../common/managed-key';
import type { PolicyStatement } from '../common/policy';

/** What encrypting and decrypting tenant data with SSE-KMS takes. */
export const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'] as const;

export interface TenantKeyProps {
  readonly tenantName: string;
  readonly tenantAccountId: string;
  readonly aliasName: string;
  /**
   * The shared cluster's EBS CSI driver, which encrypts the tenant's volumes with this key:
   * its role (in the platform account) may use the key only through EC2 and grant it only to
   * AWS resources. @default not admitted (no volumes under this key)
   */
  readonly volumeDriver?: { readonly roleArn: string; readonly accountId: string; readonly region: string };
}

/**
 * The customer-managed key of one tenant's data (buckets and volumes): rotation on, 30-day
 * deletion window, `prevent_destroy`, and a key policy that admits the tenant account's
 * principals and, for the volumes, the EBS CSI driver's role through EC2 only.
 */
export class TenantKey extends Construct {
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: TenantKeyProps) {
    super(scope, id);
    const key = new ManagedKey(this, 'key', {
      description: `Data of tenant ${props.tenantName}`,
      aliasName: props.aliasName,
      accountId: props.tenantAccountId,
      extraStatements: props.volumeDriver
        ? volumeKeyStatements({
            region: props.volumeDriver.region,
            driverRole: { arn: props.volumeDriver.roleArn, accountId: props.volumeDriver.accountId },
            resource: '*',
          })
        : undefined,
    });
    this.keyArn = key.keyArn;
  }

  /** Statement that lets a role encrypt and decrypt with this key. */
  useStatement(): PolicyStatement {
    return { Sid: 'UseTenantKey', Effect: 'Allow', Action: [...KEY_USE_ACTIONS], Resource: this.keyArn };
  }
}
