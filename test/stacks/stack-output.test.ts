import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App, TerraformStack } from 'cdktf';
import { loadConfig } from '../../config/load';
import { synthesizeWithGuardrails } from '../../guardrails/synth';
import { buildPlatform, type PlatformStacks } from '../../stacks/platform';
import { keepingStackOutput, stackOutput } from '../../stacks/stack-output';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir } from '../support/config-fixtures';

function samplePlatform(outdir = tempDir('mlp-output-')): { app: App; stacks: PlatformStacks } {
  const app = new App({ outdir });
  return { app, stacks: buildPlatform(app, loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR })) };
}

describe('stackOutput', () => {
  it('is computed once within one synthesis of a stack, and the stack writes that result', () => {
    const stack = samplePlatform().stacks.tenants[0];
    keepingStackOutput(stack, () => {
      const first = stackOutput(stack);
      expect(stackOutput(stack)).toBe(first);
      expect(stack.toTerraform()).toBe(first);
    });
  });

  it('is computed afresh outside a synthesis, so a change after one is seen', () => {
    const stack = samplePlatform().stacks.tenants[0];
    const kept = keepingStackOutput(stack, () => stackOutput(stack));
    new S3Bucket(stack, 'added', { bucket: 'added-after-synthesis' });
    expect(stackOutput(stack)).not.toBe(kept);
    expect(JSON.stringify(stack.toTerraform())).toContain('added-after-synthesis');
  });

  it('makes every stack of the platform write what cdktf itself computes for it', () => {
    const outdir = tempDir('mlp-output-');
    const { app, stacks } = samplePlatform(outdir);
    synthesizeWithGuardrails(app);
    for (const stack of [stacks.organization, stacks.shared, stacks.sharedK8s, ...stacks.tenants]) {
      const written: unknown = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
      expect(written).toEqual(JSON.parse(JSON.stringify(TerraformStack.prototype.toTerraform.call(stack))));
    }
  });
});
