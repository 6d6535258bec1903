import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { platformTags } from '../../constructs/common/tags';
import { applyGuardrails } from '../../guardrails/aspect';
import { PLATFORM_GUARDRAILS } from '../../guardrails/pack';
import type { GuardrailRule } from '../../guardrails/rule';
import { GuardrailViolations, synthesizeWithGuardrails } from '../../synth/collect-errors';
import { useProvider } from '../../stacks/use-provider';
import { checkTiny, errorsOf, tinyStack } from './support';

function withApp<T>(run: (app: App) => T): T {
  const outdir = mkdtempSync(path.join(tmpdir(), 'mlp-guardrails-aspect-'));
  try {
    return run(new App({ outdir }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('the guardrail aspect', () => {
  test('checks resources after the other aspects, so useProvider sets the provider whose default tags apply', () => {
    const checked = checkTiny(
      (stack) => {
        const platform = new AwsProvider(stack, 'aws-platform', { alias: 'platform', region: 'us-east-1', defaultTags: [{ tags: platformTags('mlp') }] });
        const scope = new Construct(stack, 'platform-account');
        useProvider(scope, platform);
        new SecurityGroup(scope, 'in-platform-account', { name: 'a' });
        new SecurityGroup(stack, 'in-default-account', { name: 'b' });
      },
      { defaultTags: null },
    );
    expect(errorsOf(checked, 'MLP-TAG-1')).toEqual([expect.stringContaining('at platform/in-default-account')]);
  });

  test('fails plain app.synth() on an error-level failure', () => {
    withApp((app) => {
      const stack = tinyStack(app);
      new S3Bucket(stack, 'b', { bucket: 'mlp-b', forceDestroy: true, lifecycle: { preventDestroy: true } });
      applyGuardrails(stack, { pack: PLATFORM_GUARDRAILS.filter((rule) => rule.id === 'MLP-S3-5') });
      expect(() => app.synth()).toThrow(/\[platform\/b\] MLP-S3-5 in stack 'platform'/);
    });
  });

  test('still fails the synth when CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set', () => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = '1';
    try {
      withApp((app) => {
        const stack = tinyStack(app);
        new S3Bucket(stack, 'b', { bucket: 'mlp-b', forceDestroy: true, lifecycle: { preventDestroy: true } });
        applyGuardrails(stack, { pack: PLATFORM_GUARDRAILS.filter((rule) => rule.id === 'MLP-S3-5') });
        expect(() => synthesizeWithGuardrails(app)).toThrow(GuardrailViolations);
      });
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
  });

  test('lists the failures of every stack, not only the first failing one', () => {
    withApp((app) => {
      for (const id of ['first', 'second']) {
        const stack = new TerraformStack(app, id);
        new AwsProvider(stack, 'aws', { region: 'us-east-1' });
        new S3Bucket(stack, 'b', { bucket: `mlp-${id}`, forceDestroy: true, lifecycle: { preventDestroy: true } });
        applyGuardrails(stack, { pack: PLATFORM_GUARDRAILS.filter((rule) => rule.id === 'MLP-S3-5') });
      }
      expect(() => synthesizeWithGuardrails(app)).toThrow(
        /^2 errors in 2 stacks; nothing was written\n {2}MLP-S3-5 in stack 'first'.*\n {2}MLP-S3-5 in stack 'second'/,
      );
    });
  });

  test('annotates a warning-level failure without failing the synth', () => {
    const warnEveryBucket: GuardrailRule = {
      id: 'TEST-W-1',
      severity: 'warning',
      description: 'Buckets are named with care',
      check: (block) => (block.type === 'aws_s3_bucket' ? [{ problem: 'just a warning', fix: 'nothing' }] : undefined),
    };
    const checked = checkTiny((stack) => new S3Bucket(stack, 'b', { bucket: 'mlp-b' }), { pack: [warnEveryBucket] });
    expect(checked.errors).toEqual([]);
    expect(checked.warnings).toEqual(["TEST-W-1 in stack 'platform' at platform/b (aws_s3_bucket.b): just a warning. Fix: nothing"]);
  });

  test('turns a rule that throws into an error, so a broken rule never passes silently', () => {
    const broken: GuardrailRule = {
      id: 'TEST-E-1',
      severity: 'error',
      description: 'A rule with a bug',
      check: () => {
        throw new Error('boom');
      },
    };
    const checked = checkTiny((stack) => new S3Bucket(stack, 'b', { bucket: 'mlp-b' }), { pack: [broken] });
    expect(errorsOf(checked, 'TEST-E-1')).toContainEqual(expect.stringContaining('platform/b (aws_s3_bucket.b): the rule could not check this block (boom)'));
  });

  test('is applied once per stack', () => {
    withApp((app) => {
      const stack = tinyStack(app);
      applyGuardrails(stack);
      expect(() => applyGuardrails(stack)).toThrow('guardrails are already applied to stack platform');
    });
  });
});
