import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App, TerraformStack } from 'cdktf';
import { loadConfig } from '../../config/load';
import { synthesizeWithGuardrails } from '../../guardrails/synth';
import { buildPlatform, type PlatformStacks } from '../../stacks/platform';
import { resolvingOnce, stackOutput } from '../../stacks/stack-output';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir } from '../support/config-fixtures';

function samplePlatform(outdir = tempDir('mlp-output-')): { app: App; stacks: PlatformStacks } {
  const app = new App({ outdir });
  return { app, stacks: buildPlatform(app, loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR })) };
}

describe('stackOutput', () => {
  it('is resolved once within a synthesis of the app: the check reads what the stack writes, then it is released', () => {
    const { app, stacks } = samplePlatform();
    const stack = stacks.tenants[0];
    resolvingOnce(app, () => {
      for (const each of app.node.findAll().filter(TerraformStack.isStack)) each.prepareStack();
      const first = stackOutput(stack);
      expect(stackOutput(stack)).toBe(first);
      expect(stack.toTerraform()).toBe(first);
      // Written, so released: a later read computes it again.
      expect(stack.toTerraform()).not.toBe(first);
      expect(stack.toTerraform()).toEqual(first);
    });
  });

  it('is computed afresh outside a synthesis, so a change after one is seen', () => {
    const { app, stacks } = samplePlatform();
    const stack = stacks.tenants[0];
    const kept = resolvingOnce(app, () => {
      stack.prepareStack();
      return stackOutput(stack);
    });
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
