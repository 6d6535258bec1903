import { asStringList, type Block, type ResolvedStatement, type StackView, type Verdict } from '../rule';
import { conditionEntries, coversAllActions, isDeny, isEveryone } from '../statements';

function deniesPlainHttp(statement: ResolvedStatement): boolean {
  if (!isDeny(statement) || !isEveryone(statement.Principal) || !coversAllActions(statement.Action, 's3')) return false;
  return conditionEntries(statement.Condition).some(
    (entry) => entry.operator === 'Bool' && entry.key.toLowerCase() === 'aws:securetransport' && entry.values.some((value) => String(value) === 'false'),
  );
}

/** The ways a policy names the bucket (by reference or literal ARN) and its objects. */
function bucketArns(bucket: Block): { bucket: string[]; objects: string[] } {
  const names = [`\${${bucket.address}.arn}`];
  if (typeof bucket.config.bucket === 'string' && !bucket.config.bucket.includes('${')) names.push(`arn:aws:s3:::${bucket.config.bucket}`);
  return { bucket: [...names, '*'], objects: [...names.map((arn) => `${arn}/*`), '*'] };
}

function coversBucketAndObjects(statement: ResolvedStatement, bucket: Block): boolean {
  const resources = asStringList(statement.Resource);
  const arns = bucketArns(bucket);
  return resources.some((r) => arns.bucket.includes(r)) && resources.some((r) => arns.objects.includes(r));
}

/** An S3 bucket's policy denies every request that does not use TLS. */
export function s3EnforcesTls(block: Block, stack: StackView): Verdict {
  if (block.kind !== 'resource' || block.type !== 'aws_s3_bucket') return undefined;
  const policies = stack.attachedTo(block, 'aws_s3_bucket_policy').flatMap((p) => p.policies);
  const inline = block.policies.filter((policy) => policy.attribute === 'policy');
  const documents = [...policies, ...inline];
  const fix =
    "add to its bucket policy a statement { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket ARN, bucket ARN + '/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } } (TenantBuckets does)";
  if (documents.length === 0) return [{ problem: 'the bucket has no bucket policy, so plain HTTP requests are not denied', fix }];
  if (documents.some((policy) => policy.statements?.some((statement) => deniesPlainHttp(statement) && coversBucketAndObjects(statement, block)))) return [];
  return [{ problem: 'its bucket policy has no statement that denies requests without TLS on the bucket and its objects', fix }];
}
