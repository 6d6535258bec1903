import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { policyDocument, renderPolicy, type PolicyStatement } from './policy';

/** Days a scheduled key deletion waits: the longest AWS allows, for time to notice a mistake. */
export const KEY_DELETION_WINDOW_DAYS = 30;

export interface ManagedKeyProps {
  readonly description: string;
  readonly aliasName: string;
  /** Account whose principals administer and use the key; nobody outside it is admitted. */
  readonly accountId: string;
  /** Extra statements, e.g. for an AWS service principal that must use the key. @default none */
  readonly extraStatements?: readonly PolicyStatement[];
}

/**
 * A customer-managed KMS key with rotation, the longest deletion window, `prevent_destroy`,
 * and a key policy that admits only one account's principals.
 */
export class ManagedKey extends Construct {
  readonly keyArn: string;
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: ManagedKeyProps) {
    super(scope, id);
    const key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      policy: renderPolicy(
        policyDocument(
          {
            Sid: 'AccountPrincipalsOnly',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          ...(props.extraStatements ?? []),
        ),
      ),
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, 'alias', { name: props.aliasName, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
  }
}
