import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App, TerraformStack } from 'cdktf';
import { loadConfig } from '../../config/load';
import { synthesizeWithGuardrails } from '../../synth/collect-errors';
import type { PlatformStacks } from '../../stacks/platform';
import { buildCheckedPlatform } from '../../synth/platform';
import { PlatformStack } from '../../stacks/platform-stack';
import { stackOutput, synthesizeResolvingOnce } from '../../stacks/stack-output';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir } from '../support/config-fixtures';

const config = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });

function samplePlatform(outdir = tempDir('mlp-output-')): { app: App; stacks: PlatformStacks } {
  const app = new App({ outdir });
  return { app, stacks: buildCheckedPlatform(app, config) };
}

/** A platform stack that says no other stack reads it. */
class UnreadStack extends PlatformStack {
  override get readByOtherStacks(): boolean {
    return false;
  }
}

describe('synthesizeResolvingOnce', () => {
  afterEach(() => jest.restoreAllMocks());

  it('makes every stack of the platform write what cdktf itself computes for it', () => {
    const outdir = tempDir('mlp-output-');
    const { app, stacks } = samplePlatform(outdir);
    synthesizeWithGuardrails(app);
    for (const stack of [stacks.organization, stacks.shared, stacks.sharedK8s, ...stacks.tenants]) {
      const written: unknown = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
      expect(written).toEqual(JSON.parse(JSON.stringify(TerraformStack.prototype.toTerraform.call(stack))));
    }
  });

  it("resolves each stack once: neither cdktf's preparation nor its output resolution runs", () => {
    const prepare = jest.spyOn(TerraformStack.prototype, 'prepareStack');
    const output = jest.spyOn(TerraformStack.prototype, 'toTerraform');
    synthesizeWithGuardrails(samplePlatform().app);
    expect(prepare).not.toHaveBeenCalled();
    expect(output).not.toHaveBeenCalled();
  });

  it('computes a stack afresh outside a synthesis, so a change after one is seen', () => {
    const { app, stacks } = samplePlatform();
    synthesizeWithGuardrails(app);
    const stack = stacks.tenants[0];
    const before = stackOutput(stack);
    new S3Bucket(stack, 'added', { bucket: 'added-after-synthesis' });
    expect(stackOutput(stack)).not.toBe(before);
    expect(JSON.stringify(stack.toTerraform())).toContain('added-after-synthesis');
  });

  it('fails when a stack that says no other stack reads it is read by a later stack', () => {
    const app = new App({ outdir: tempDir('mlp-output-') });
    const producer = new UnreadStack(app, 'producer', config.platform);
    const consumer = new UnreadStack(app, 'consumer', config.platform);
    for (const stack of [producer, consumer]) new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const bucket = new S3Bucket(producer, 'bucket', { bucket: 'b' });
    new S3Bucket(consumer, 'copy', { bucket: bucket.bucket });
    expect(() => synthesizeResolvingOnce(app)).toThrow("stack 'producer' is read by another stack but says it is not");
  });
});
