/**
 * The Terraform state bucket: versioned (a bad apply's state can be restored), encrypted
 * with S3-managed keys (the planner is denied kms:Decrypt everywhere, and state must stay
 * readable to it), public access blocked, objects owned by the bucket owner, TLS only, and
 * readable or writable by the pipeline's roles only (pipeline-policies.ts).
 */
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { renderPolicy } from '../common/policy';
import { stateBucketPolicy } from './pipeline-policies';

export interface StateBucketProps {
  readonly bucketName: string;
  /** Roles that write state: the deployers and the administrators' break-glass roles. */
  readonly writers: readonly string[];
  /** Roles that only read state: the planners. */
  readonly readers: readonly string[];
  /** Provider of the account that holds the bucket. @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

export class StateBucket extends Construct {
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const errors: string[] = [];
    if (props.writers.length === 0) errors.push('the state bucket needs at least one writer role, or nobody could deploy');
    if (errors.length > 0) throw new Error(`state bucket '${props.bucketName}': ${errors.join('; ')}`);
    const provider = props.provider;
    // Never destroyed with the stack: it holds every other stack's state.
    const bucket = new S3Bucket(this, 'bucket', { provider, bucket: props.bucketName, lifecycle: { preventDestroy: true } });
    new S3BucketVersioningA(this, 'versioning', { provider, bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      provider,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { provider, bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPolicy(this, 'policy', {
      provider,
      bucket: bucket.id,
      policy: renderPolicy(stateBucketPolicy({ bucket: props.bucketName, writers: props.writers, readers: props.readers })),
    });
    this.bucketName = props.bucketName;
  }
}
