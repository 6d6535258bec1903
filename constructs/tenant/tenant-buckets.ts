import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketEncryption } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { TenantBucket } from '../../config/model';
import { policyDocument, renderPolicy, type PolicyStatement } from '../common/policy';

/** Object read and write, and listing: what the tenant's workloads and people need on their buckets. */
export const BUCKET_READ_WRITE_ACTIONS = [
  's3:AbortMultipartUpload',
  's3:DeleteObject',
  's3:GetBucketLocation',
  's3:GetObject',
  's3:GetObjectVersion',
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
  's3:ListMultipartUploadParts',
  's3:PutObject',
] as const;

export interface TenantBucketsProps {
  readonly buckets: readonly TenantBucket[];
  /** AWS bucket name for a purpose, from config/names.ts. */
  readonly bucketName: (purpose: string) => string;
  readonly tenantAccountId: string;
  readonly kmsKeyArn: string;
}

/**
 * The tenant's buckets: all four Block Public Access settings, SSE-KMS with the tenant key
 * and bucket keys, versioning, object ownership enforced (no ACLs), expiry of noncurrent
 * versions, and a policy that denies plain HTTP and every principal outside the tenant
 * account. `force_destroy` is off and `prevent_destroy` on.
 */
export class TenantBuckets extends Construct {
  /** By purpose (`datasets`), the bucket ARN. */
  readonly bucketArns: Readonly<Record<string, string>>;
  /** By purpose, the bucket name. */
  readonly bucketNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: TenantBucketsProps) {
    super(scope, id);
    const duplicates = props.buckets.filter((b, i) => props.buckets.findIndex((other) => other.purpose === b.purpose) < i);
    if (duplicates.length > 0) throw new Error(`TenantBuckets: bucket purposes must be unique; repeated: ${duplicates.map((b) => b.purpose).join(', ')}`);

    const arns: Record<string, string> = {};
    const names: Record<string, string> = {};
    for (const spec of props.buckets) {
      const bucket = this.addBucket(spec, props);
      arns[spec.purpose] = bucket.arn;
      names[spec.purpose] = bucket.bucket;
    }
    this.bucketArns = arns;
    this.bucketNames = names;
  }

  /**
   * One bucket and what makes it private, encrypted, versioned and TLS-only. Its resources
   * are children of TenantBuckets, keyed by purpose (`<purpose>-versioning`), as before
   * this was a method: a construct per bucket would readdress every bucket of every tenant.
   */
  private addBucket(spec: TenantBucketsProps['buckets'][number], props: TenantBucketsProps): S3Bucket {
    const purpose = spec.purpose;
    const bucket = new S3Bucket(this, purpose, {
      bucket: props.bucketName(purpose),
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    new S3BucketPublicAccessBlock(this, `${purpose}-public-access-block`, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, `${purpose}-ownership`, {
      bucket: bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketEncryption(this, `${purpose}-encryption`, {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    new S3BucketVersioning(this, `${purpose}-versioning`, {
      bucket: bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketLifecycleConfiguration(this, `${purpose}-lifecycle`, {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: spec.noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    new S3BucketPolicy(this, `${purpose}-policy`, {
      bucket: bucket.id,
      policy: renderPolicy(
        policyDocument(
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucket.arn, `${bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: 'DenyPrincipalsOutsideTenantAccount',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucket.arn, `${bucket.arn}/*`],
            Condition: { StringNotEquals: { 'aws:PrincipalAccount': props.tenantAccountId } },
          },
        ),
      ),
    });
    return bucket;
  }

  /** Statement that lets a role read, write and list every bucket of the tenant. */
  readWriteStatement(): PolicyStatement {
    const arns = Object.values(this.bucketArns);
    return {
      Sid: 'ReadWriteTenantBuckets',
      Effect: 'Allow',
      Action: [...BUCKET_READ_WRITE_ACTIONS],
      Resource: arns.flatMap((arn) => [arn, `${arn}/*`]),
    };
  }
}
