import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { buildBaseline, RESOURCE_FACTORIES, shapeOfSynth } from '../../bench/baseline';
import { tempDir } from '../support/config-fixtures';
import { synthPlatform, type Synthesized } from '../support/synth';
import { generateTenants } from '../support/tenant-generator';

/** Per stack: resource type to count, and how often it reads another stack's outputs. */
function contentOf(outdir: string): Record<string, { resources: Record<string, number>; remoteUses: number }> {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.fromEntries(
    Object.entries(manifest.stacks).map(([name, { synthesizedStackPath }]) => {
      const text = readFileSync(path.join(outdir, synthesizedStackPath), 'utf8');
      const stack = JSON.parse(text) as { resource?: Record<string, Record<string, unknown>> };
      const resources = Object.fromEntries(Object.entries(stack.resource ?? {}).map(([type, byName]) => [type, Object.keys(byName).length]));
      return [name, { resources, remoteUses: text.match(/data\.terraform_remote_state\.[^.]+\.outputs\./g)?.length ?? 0 }];
    }),
  );
}

function synthBaseline(project: Synthesized): string {
  const outdir = tempDir('mlp-baseline-');
  const app = new App({ outdir });
  buildBaseline(app, shapeOfSynth(project.outdir));
  app.synth();
  return outdir;
}

describe('the benchmark baseline', () => {
  const tenantsDir = tempDir('mlp-baseline-tenants-');
  generateTenants(6, tenantsDir);
  const project = synthPlatform(tenantsDir);
  const baseline = synthBaseline(project);

  it('has a provider class for every resource type the project synthesizes', () => {
    const types = new Set(Object.values(contentOf(project.outdir)).flatMap((stack) => Object.keys(stack.resources)));
    expect([...types].filter((type) => !(type in RESOURCE_FACTORIES))).toEqual([]);
  });

  it('synthesizes the same stacks with the same resources per type and the same cross-stack reads', () => {
    expect(contentOf(baseline)).toEqual(contentOf(project.outdir));
  });

  it('keeps one S3 state key per stack, as the project does', () => {
    const keyOf = (outdir: string, stack: string) =>
      (JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { terraform: { backend: { s3: { key: string } } } }).terraform.backend.s3.key;
    for (const stack of Object.keys(project.stacks)) expect(keyOf(baseline, stack)).toBe(keyOf(project.outdir, stack));
  });
});
