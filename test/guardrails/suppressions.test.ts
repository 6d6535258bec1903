import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ManagedKey } from '../../constructs/common/managed-key';
import { formatFinding } from '../../guardrails/check';
import { PLATFORM_GUARDRAILS } from '../../guardrails/pack';
import { buildReport, formatReport } from '../../guardrails/report';
import { suppressRule } from '../../guardrails/suppressions';
import { checkTiny, errorsOf } from './support';

const REASON = 'scratch bucket of the load test; emptied and destroyed with the test account';

function forceDestroyBucket(scope: Construct, id: string): S3Bucket {
  return new S3Bucket(scope, id, { bucket: `mlp-${id}`, forceDestroy: true, lifecycle: { preventDestroy: true } });
}

/** Only MLP-S3-5 matters here. */
const pack = PLATFORM_GUARDRAILS.filter((rule) => rule.id === 'MLP-S3-5');

describe('suppressRule', () => {
  test('hides the failure of one rule on one resource and lists the suppression with its reason', () => {
    const checked = checkTiny((stack) => suppressRule(forceDestroyBucket(stack, 'scratch'), 'MLP-S3-5', REASON), { pack });
    expect(checked.errors).toEqual([]);
    expect(checked.warnings).toEqual([]);
    expect(checked.result.suppressions).toEqual([
      { ruleId: 'MLP-S3-5', reason: REASON, stack: 'platform', path: 'platform/scratch', address: 'aws_s3_bucket.scratch', hidden: 1 },
    ]);
    const text = formatReport(buildReport(pack, [checked.result]), formatFinding);
    expect(text).toContain(`Suppressions (1):\n  MLP-S3-5 in stack 'platform' at platform/scratch (aws_s3_bucket.scratch), hides 1: ${REASON}`);
  });

  test('does not hide the same rule on another resource', () => {
    const checked = checkTiny(
      (stack) => {
        suppressRule(forceDestroyBucket(stack, 'scratch'), 'MLP-S3-5', REASON);
        forceDestroyBucket(stack, 'datasets');
      },
      { pack },
    );
    expect(errorsOf(checked, 'MLP-S3-5')).toEqual([expect.stringContaining('at platform/datasets')]);
  });

  test('does not hide other rules on the same resource', () => {
    const checked = checkTiny((stack) => suppressRule(new S3Bucket(stack, 'scratch', { bucket: 'mlp-scratch', forceDestroy: true }), 'MLP-S3-5', REASON));
    expect(errorsOf(checked, 'MLP-S3-5')).toEqual([]);
    expect(errorsOf(checked, 'MLP-LIFE-1')).toHaveLength(1);
  });

  test('without a reason is an error, and the failure stays', () => {
    const checked = checkTiny((stack) => suppressRule(forceDestroyBucket(stack, 'scratch'), 'MLP-S3-5', '  '), { pack });
    expect(errorsOf(checked, 'MLP-SUPPRESS')).toEqual([expect.stringContaining('suppression of MLP-S3-5 gives no reason, so it does not apply')]);
    expect(errorsOf(checked, 'MLP-S3-5')).toHaveLength(1);
  });

  test('naming a rule the pack does not have is an error', () => {
    const checked = checkTiny((stack) => suppressRule(forceDestroyBucket(stack, 'scratch'), 'MLP-S3-9', REASON), { pack });
    expect(errorsOf(checked, 'MLP-SUPPRESS')).toEqual([expect.stringContaining("suppression names 'MLP-S3-9', which is not a rule of the pack")]);
  });

  test('that hides nothing is a warning and the synth passes', () => {
    const checked = checkTiny((stack) => suppressRule(new S3Bucket(stack, 'kept', { bucket: 'mlp-kept' }), 'MLP-S3-5', REASON), { pack });
    expect(checked.errors).toEqual([]);
    expect(checked.warnings).toEqual([expect.stringContaining('suppression of MLP-S3-5 hides nothing')]);
  });

  test('accepts a construct that holds exactly one resource', () => {
    const checked = checkTiny(
      (stack: TerraformStack) => {
        const wrapper = new Construct(stack, 'wrapper');
        forceDestroyBucket(wrapper, 'scratch');
        suppressRule(wrapper, 'MLP-S3-5', REASON);
      },
      { pack },
    );
    expect(checked.errors).toEqual([]);
    expect(checked.result.suppressions.map((s) => s.path)).toEqual(['platform/wrapper/scratch']);
  });

  test('rejects a construct that holds several resources', () => {
    expect(() =>
      checkTiny((stack) =>
        suppressRule(new ManagedKey(stack, 'key', { description: 'd', aliasName: 'alias/x', accountId: '222222222222' }), 'MLP-KMS-1', REASON),
      ),
    ).toThrow('suppressRule(platform/key, MLP-KMS-1): holds 2 resources (platform/key/key, platform/key/alias); pass the one resource the suppression is for');
  });
});
