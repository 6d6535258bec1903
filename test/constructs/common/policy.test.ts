import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App, Fn, TerraformStack, Token } from 'cdktf';
import fc from 'fast-check';
import { policyDocument, renderedPolicyDocument, renderPolicy, type PolicyDocument } from '../../../constructs/common/policy';
import { tempDir } from '../../support/config-fixtures';

type StackJson = { resource: { aws_iam_policy: Record<string, { policy: string; description?: string }> } };

function readStack(outdir: string, name: string): StackJson {
  return JSON.parse(readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as StackJson;
}

/** Policies named `rendered-*` use renderPolicy, `plain-*` cdktf's own Fn.jsonencode of the same document. */
function synthPolicies(build: (producer: TerraformStack, consumer: TerraformStack) => void): Record<string, StackJson> {
  const outdir = tempDir('mlp-policy-');
  const app = new App({ outdir });
  const producer = new TerraformStack(app, 'producer');
  const consumer = new TerraformStack(app, 'consumer');
  for (const stack of [producer, consumer]) new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  build(producer, consumer);
  app.synth();
  return { producer: readStack(outdir, 'producer'), consumer: readStack(outdir, 'consumer') };
}

function byPrefix(stack: StackJson, prefix: string): string[] {
  return Object.entries(stack.resource.aws_iam_policy)
    .filter(([name]) => name.startsWith(prefix))
    .map(([, body]) => `${body.policy}|${body.description ?? ''}`);
}

function bucketDocument(bucket: S3Bucket): PolicyDocument {
  return policyDocument({
    Sid: 'ReadObjects',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: [bucket.arn, `${bucket.arn}/*`],
    Condition: { StringEquals: { 'aws:PrincipalTag/team': '${aws:username}' } },
  });
}

describe('renderPolicy', () => {
  it('renders the same text as jsonencode in every stack that uses it, inside a longer string and inside a function call', () => {
    const stacks = synthPolicies((producer, consumer) => {
      const bucket = new S3Bucket(producer, 'bucket', { bucket: 'b' });
      const document = bucketDocument(bucket);
      for (const stack of [producer, consumer]) {
        const [rendered, plain] = [renderPolicy(document), Fn.jsonencode(document)];
        new IamPolicy(stack, 'rendered-policy', { policy: rendered, description: `doc: ${rendered}` });
        new IamPolicy(stack, 'plain-policy', { policy: plain, description: `doc: ${plain}` });
        // Inside another function call the same token renders without ${ }.
        new IamPolicy(stack, 'rendered-hash', { policy: Fn.sha256(rendered) });
        new IamPolicy(stack, 'plain-hash', { policy: Fn.sha256(plain) });
      }
    });
    for (const stack of Object.values(stacks)) {
      expect(byPrefix(stack, 'rendered')).toEqual(byPrefix(stack, 'plain'));
      expect(byPrefix(stack, 'rendered')).toHaveLength(2);
    }
    // The consumer reads the bucket through the producer's output, so the two stacks' texts differ.
    expect(byPrefix(stacks.consumer, 'rendered')[0]).toContain('terraform_remote_state');
    expect(byPrefix(stacks.producer, 'rendered')[0]).toContain('aws_s3_bucket.bucket.arn');
  });

  it('renders one token in two stacks for each stack, not once for both', () => {
    const stacks = synthPolicies((producer, consumer) => {
      const bucket = new S3Bucket(producer, 'bucket', { bucket: 'b' });
      const shared = renderPolicy(bucketDocument(bucket));
      const plain = Fn.jsonencode(bucketDocument(bucket));
      for (const stack of [producer, consumer]) {
        new IamPolicy(stack, 'rendered-policy', { policy: shared });
        new IamPolicy(stack, 'plain-policy', { policy: plain });
      }
    });
    expect(byPrefix(stacks.consumer, 'rendered')).toEqual(byPrefix(stacks.consumer, 'plain'));
    expect(byPrefix(stacks.producer, 'rendered')).toEqual(byPrefix(stacks.producer, 'plain'));
  });

  it('renders generated documents exactly as Fn.jsonencode does, in the producing and in a consuming stack', () => {
    // Strings a document may hold: escapes, quotes, IAM policy variables, newlines, references alone and inside text.
    const text = fc.oneof(
      fc.constantFrom('', '"', '"quoted"', 'a\\b', 'line\nbreak', '${aws:username}', '$${literal}', '%{if}', 'ünïcode', '*', 's3:GetObject'),
      fc.string({ maxLength: 8 }),
    );
    type Leaf = string | number | boolean | null | undefined | { ref: string; suffix?: string };
    const leaf: fc.Arbitrary<Leaf> = fc.oneof(
      text,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.record({ ref: fc.constantFrom('arn', 'id', 'bucket'), suffix: fc.option(text, { nil: undefined }) }),
    );
    const value = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(text, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.array(fc.dictionary(text, value, { maxKeys: 4 }), { minLength: 1, maxLength: 6 }), (documents) => {
        const stacks = synthPolicies((producer, consumer) => {
          const bucket = new S3Bucket(producer, 'bucket', { bucket: 'b' });
          // A leaf { ref } becomes a reference to the bucket, alone or inside a longer string.
          const materialize = (item: unknown): unknown => {
            if (Array.isArray(item)) return item.map(materialize);
            if (item !== null && typeof item === 'object' && 'ref' in item) {
              const { ref, suffix } = item as { ref: string; suffix?: string };
              const token = bucket.getStringAttribute(ref);
              return suffix === undefined ? token : `${token}${suffix}`;
            }
            if (item !== null && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, nested]) => [key, materialize(nested)]));
            return item;
          };
          documents.forEach((generated, i) => {
            const document = { Version: '2012-10-17', Statement: [materialize(generated)] } as unknown as PolicyDocument;
            for (const stack of [producer, consumer]) {
              new IamPolicy(stack, `rendered-${i}`, { policy: renderPolicy(document) });
              new IamPolicy(stack, `plain-${i}`, { policy: Fn.jsonencode(document) });
            }
          });
        });
        expect(Object.keys(stacks).length).toBeGreaterThan(0);
        for (const stack of Object.values(stacks)) expect(byPrefix(stack, 'rendered')).toEqual(byPrefix(stack, 'plain'));
      }),
      { numRuns: 20 },
    );
  });

  it('renders a document with a __proto__ key as cdktf does, which drops that key', () => {
    const stacks = synthPolicies((producer) => {
      const document = {
        Version: '2012-10-17',
        Statement: [
          Object.fromEntries([
            ['__proto__', 'x'],
            ['Effect', 'Deny'],
          ]),
        ],
      } as unknown as PolicyDocument;
      new IamPolicy(producer, 'rendered-policy', { policy: renderPolicy(document) });
      new IamPolicy(producer, 'plain-policy', { policy: Fn.jsonencode(document) });
    });
    expect(byPrefix(stacks.producer, 'rendered')).toEqual(byPrefix(stacks.producer, 'plain'));
  });

  it('leaves a document holding a token object to cdktf and still renders it the same', () => {
    const stacks = synthPolicies((producer, consumer) => {
      const bucket = new S3Bucket(producer, 'bucket', { bucket: 'b' });
      const document = policyDocument({ Effect: 'Allow', Action: Token.asList(bucket.getListAttribute('tags_all')), Resource: bucket.arn });
      for (const stack of [producer, consumer]) {
        new IamPolicy(stack, 'rendered-policy', { policy: renderPolicy(document) });
        new IamPolicy(stack, 'plain-policy', { policy: Fn.jsonencode(document) });
      }
    });
    for (const stack of Object.values(stacks)) {
      expect(byPrefix(stack, 'rendered')).toEqual(byPrefix(stack, 'plain'));
      expect(byPrefix(stack, 'rendered')[0]).toContain('tags_all');
    }
  });

  it('keeps the typed document behind the rendered value for the guardrails', () => {
    const document = policyDocument({ Effect: 'Deny', Action: 's3:*', Resource: '*' });
    expect(renderedPolicyDocument(renderPolicy(document))).toBe(document);
    expect(renderedPolicyDocument('{"Version":"2012-10-17"}')).toBeUndefined();
  });

  it('finds the document through the token alone: not in a longer string, not behind another token', () => {
    const rendered = renderPolicy(policyDocument({ Effect: 'Deny', Action: 's3:*', Resource: '*' }));
    expect(renderedPolicyDocument(`prefix-${rendered}`)).toBeUndefined();
    expect(renderedPolicyDocument(Fn.jsonencode({ a: 1 }))).toBeUndefined();
  });
});
