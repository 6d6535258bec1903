import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { buildBaseline, buildSameOutput, readSynthOutput, RESOURCE_FACTORIES, shapeOfSynth, type SynthOutput } from '../../bench/baseline';
import { tempDir } from '../support/config-fixtures';
import { synthPlatform, type Synthesized } from '../support/synth';
import { generateTenants } from '../../bench/generated-tenants';

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

function synthSameOutput(synth: SynthOutput): string {
  const outdir = tempDir('mlp-same-output-');
  const app = new App({ outdir });
  buildSameOutput(app, synth);
  app.synth();
  return outdir;
}

type Json = Record<string, unknown>;

function readStack(outdir: string, stack: string): Json {
  return JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Json;
}

/** The stack without cdktf's metadata: the top-level "//" and the "//" of every block. */
function withoutMetadata(stack: Json): Json {
  const blocksWithout = (byType: unknown) =>
    Object.fromEntries(
      Object.entries(byType as Record<string, Record<string, Json>>).map(([type, byName]) => [
        type,
        Object.fromEntries(Object.entries(byName).map(([name, { '//': _metadata, ...body }]) => [name, body])),
      ]),
    );
  const { '//': _metadata, resource, data, output, ...rest } = stack;
  return {
    ...rest,
    ...(resource ? { resource: blocksWithout(resource) } : {}),
    ...(data ? { data: blocksWithout(data) } : {}),
    ...(output ? { output: blocksWithout({ output }).output } : {}),
  };
}

function dependenciesOf(outdir: string): Record<string, string[]> {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
  return Object.fromEntries(Object.entries(manifest.stacks).map(([name, stack]) => [name, stack.dependencies]));
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
      (JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { terraform: { backend: { s3: { key: string } } } }).terraform
        .backend.s3.key;
    for (const stack of Object.keys(project.stacks)) expect(keyOf(baseline, stack)).toBe(keyOf(project.outdir, stack));
  });

  describe('with the same output', () => {
    const sameOutput = synthSameOutput(readSynthOutput(project.outdir));

    it("writes every stack as the project does, apart from cdktf's metadata", () => {
      for (const stack of Object.keys(project.stacks))
        expect(withoutMetadata(readStack(sameOutput, stack))).toEqual(withoutMetadata(readStack(project.outdir, stack)));
    });

    it('lists the same stacks with the same dependencies, which cdktf derives from cross-stack references', () => {
      expect(dependenciesOf(sameOutput)).toEqual(dependenciesOf(project.outdir));
    });

    it("lets cdktf make the remote states from the references, without the project's data blocks", () => {
      const input = readSynthOutput(project.outdir);
      const withoutData = {
        stacks: input.stacks.map(({ name, dependencies, terraform: { data: _data, ...terraform } }) => ({ name, dependencies, terraform })),
      };
      const outdir = synthSameOutput(withoutData);
      const tenant = Object.keys(project.stacks).find((name) => name.startsWith('tenant-'))!;
      expect(readStack(outdir, tenant).data).toEqual(readStack(project.outdir, tenant).data);
    });

    it('fails naming the resource type and the fix when a type has no provider class', () => {
      const input = readSynthOutput(project.outdir);
      const [first, ...rest] = input.stacks;
      const unknown = { ...first.terraform, resource: { ...(first.terraform.resource as Json), aws_made_up_thing: { thing: { name: 'x' } } } };
      expect(() => synthSameOutput({ stacks: [{ ...first, terraform: unknown }, ...rest] })).toThrow(
        `stack ${first.name}: no baseline class for resource type 'aws_made_up_thing'; add it to RESOURCE_FACTORIES in bench/baseline.ts`,
      );
    });

    it('fails naming the stack and output when a stack reads an output its producer does not declare', () => {
      const input = readSynthOutput(project.outdir);
      const stacks = input.stacks.map(({ name, dependencies, terraform }) => ({
        name,
        dependencies,
        terraform: name === 'organization' ? { ...terraform, output: {} } : terraform,
      }));
      expect(() => synthSameOutput({ stacks })).toThrow(
        /^stack account-[a-z0-9-]+ reads output 'cross-stack-output-aws_(organizations|cloudformation)_[a-z_]+[^']+' of stack 'organization', which that stack does not declare$/,
      );
    });
  });
});
