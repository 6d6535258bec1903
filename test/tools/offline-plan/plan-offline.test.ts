import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { OfflinePlanUnavailable, planJsonPath, planOffline, readPlanJson, RESULTS_FILE, type StackPlanResult } from '../../../tools/offline-plan';
import { notValidatedTotals } from '../../../tools/offline-plan/report';
import { tempDir } from '../../support/config-fixtures';
import { countResourcesOf, describeWithTerraform, resourceTypes, sampleSynth } from './fixtures';

type Json = Record<string, any>;
/** Providers the mirror lacks: kubernetes (tenant namespaces, NodePools) and helm (Karpenter's release). */
const NOT_IN_MIRROR = ['kubernetes', 'helm'] as const;
const leftOutOfPlan = (type: string) => NOT_IN_MIRROR.some((provider) => type.startsWith(`${provider}_`));

function resultOf(results: readonly StackPlanResult[], stack: string): StackPlanResult {
  const found = results.find((r) => r.stack === stack);
  if (!found) throw new Error(`no result for ${stack}`);
  return found;
}

describeWithTerraform('offline plan of the sample tenants', () => {
  let results: StackPlanResult[];
  let workDir: string;

  beforeAll(async () => {
    workDir = tempDir('mlp-plan-offline-');
    results = await planOffline({ synthDir: sampleSynth().outdir, workDir });
  }, 300_000);

  test('plans every stack of the synth output', () => {
    expect(results.map((r) => r.stack)).toEqual(sampleSynth().stacks.map((s) => s.name));
  });

  test('finds every stack valid, without an error diagnostic', () => {
    for (const result of results) {
      expect({ stack: result.stack, status: result.status, errors: result.diagnostics.filter((d) => d.severity === 'error') }).toEqual({
        stack: result.stack,
        status: 'valid',
        errors: [],
      });
    }
  });

  test('plans to create every resource of the stack except those of providers the mirror lacks', () => {
    for (const stack of sampleSynth().stacks) {
      const expected = countResourcesOf(stack.config, (type) => !leftOutOfPlan(type));
      expect({ stack: stack.name, toCreate: resultOf(results, stack.name).resourcesToCreate }).toEqual({ stack: stack.name, toCreate: expected });
    }
    expect(resultOf(results, 'shared').resourcesToCreate).toBeGreaterThan(0);
  });

  test('reports the kubernetes and helm resources of each stack as left out of the plan, by provider and count; every kubernetes one is schema-validated, the helm releases are not', () => {
    for (const stack of sampleSynth().stacks) {
      const expected = NOT_IN_MIRROR.map((provider) => [provider, countResourcesOf(stack.config, (type) => type.startsWith(`${provider}_`))] as const).filter(
        ([, n]) => n > 0,
      );
      const result = resultOf(results, stack.name);
      expect({
        stack: stack.name,
        reported: result.notValidated.map((n) => [n.provider, n.resources]).sort(),
        schemaValidated: result.schemaValidated,
      }).toEqual({
        stack: stack.name,
        reported: [...expected].sort(),
        schemaValidated: countResourcesOf(stack.config, (type) => type.startsWith('kubernetes_')),
      });
    }
    expect(
      resultOf(results, 'shared-k8s')
        .notValidated.map((n) => n.provider)
        .sort(),
    ).toEqual(['helm', 'kubernetes']);
    expect(notValidatedTotals(results).map((t) => [t.provider, t.stacks])).toEqual([['helm', ['shared-k8s']]]);
  });

  test('writes each plan JSON at <work>/<stack>/plan.json, holding the addresses of the synthesized resources', () => {
    for (const stack of sampleSynth().stacks) {
      const result = resultOf(results, stack.name);
      expect(result.planJsonPath).toBe(planJsonPath(workDir, stack.name));
      const planned = (readPlanJson(result.planJsonPath!).resource_changes ?? []).map((c) => c.address).sort();
      const synthesized = Object.entries(resourceTypes(stack.config))
        .filter(([type]) => !leftOutOfPlan(type))
        .flatMap(([type, blocks]) => Object.keys(blocks).map((name) => `${type}.${name}`))
        .sort();
      expect(planned).toEqual(synthesized);
    }
  });

  test("feeds cross-stack inputs from the placeholder state: the access entries (people and GPU nodes) get the placeholder cluster's name", () => {
    const inputs = JSON.parse(readFileSync(path.join(workDir, 'tenant-fraud-detection', 'inputs', 'shared.tfstate'), 'utf8')) as Json;
    const clusterName = Object.entries(inputs.outputs as Record<string, { value: string }>).find(
      ([name]) => name.includes('aws_eks_cluster') && name.endsWith('name'),
    )?.[1].value;
    expect(clusterName).toEqual(expect.any(String));
    const plan = readPlanJson(planJsonPath(workDir, 'tenant-fraud-detection'));
    const entries = (plan.resource_changes ?? []).filter((c) => c.type === 'aws_eks_access_entry');
    expect(entries.map((e) => (e.change.after as Json).type).sort()).toEqual(['EC2_LINUX', 'STANDARD']);
    for (const entry of entries) expect((entry.change.after as Json).cluster_name).toBe(clusterName);
  });

  test('writes every result to <work>/results.json', () => {
    expect(JSON.parse(readFileSync(path.join(workDir, RESULTS_FILE), 'utf8'))).toEqual(JSON.parse(JSON.stringify(results)));
  });

  test('gives every working directory a local backend, local remote state and no role to assume', () => {
    for (const stack of sampleSynth().stacks) {
      const config = JSON.parse(readFileSync(path.join(workDir, stack.name, 'cdk.tf.json'), 'utf8')) as Json;
      expect(Object.keys(config.terraform.backend)).toEqual(['local']);
      for (const input of Object.values((config.data?.terraform_remote_state ?? {}) as Json)) expect(input.backend).toBe('local');
      for (const provider of config.provider?.aws ?? []) expect(provider.assume_role).toBeUndefined();
    }
  });
});

/** A tiny app: a node group with a capacity type AWS does not have, and a stack that looks up the caller's account. */
function synthBrokenApp(): string {
  const outdir = path.join(tempDir('mlp-broken-'), 'cdktf.out');
  const app = new App({ outdir });
  const broken = new TerraformStack(app, 'broken');
  new AwsProvider(broken, 'aws', { region: 'us-east-1' });
  new EksNodeGroup(new Construct(broken, 'gpu-pool'), 'node-group', {
    clusterName: 'shared',
    nodeGroupName: 'team-train',
    nodeRoleArn: 'arn:aws:iam::123456789012:role/team-nodes',
    subnetIds: ['subnet-0123456789abcdef0'],
    scalingConfig: { minSize: 0, maxSize: 2, desiredSize: 0 },
    capacityType: 'CHEAP',
  });
  const lookup = new TerraformStack(app, 'lookup');
  new AwsProvider(lookup, 'aws', { region: 'us-east-1' });
  new DataAwsCallerIdentity(new Construct(lookup, 'account'), 'caller');
  app.synth();
  return outdir;
}

describeWithTerraform('offline plan of constructs that are wrong', () => {
  let results: StackPlanResult[];

  beforeAll(async () => {
    results = await planOffline({ synthDir: synthBrokenApp(), workDir: tempDir('mlp-plan-offline-broken-') });
  }, 120_000);

  test('reports an attribute the AWS provider rejects as invalid, at the construct path', () => {
    const broken = resultOf(results, 'broken');
    expect(broken.status).toBe('invalid');
    expect(broken.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        summary: expect.stringMatching(/capacity_type.*CHEAP/),
        constructPath: 'broken/gpu-pool/node-group',
        address: expect.stringMatching(/^aws_eks_node_group\.gpu-pool_node-group_/),
      }),
    );
  });

  test('writes no plan JSON for an invalid stack', () => {
    const broken = resultOf(results, 'broken');
    expect(broken.planJsonPath).toBeUndefined();
    expect(existsSync(planJsonPath(path.dirname(broken.workDir), 'broken'))).toBe(false);
    expect(broken.resourcesToCreate).toBe(0);
  });

  test('reports a data source that would call AWS as an error at its construct path, without planning', () => {
    const lookup = resultOf(results, 'lookup');
    expect(lookup.status).toBe('invalid');
    expect(lookup.planJsonPath).toBeUndefined();
    expect(lookup.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', stage: 'offline-copy', constructPath: 'lookup/account/caller' }));
  });
});

describe('offline plan without terraform or a mirror', () => {
  /** A directory whose only `terraform` answers `version -json` like Terraform 1.11.4. */
  function fakeTerraformDir(): string {
    const dir = tempDir('mlp-fake-terraform-');
    const script = path.join(dir, 'terraform');
    writeFileSync(script, `#!/bin/sh\necho '{"terraform_version":"1.11.4"}'\n`);
    chmodSync(script, 0o755);
    return dir;
  }

  test('says terraform is missing when it is not on PATH', async () => {
    const empty = tempDir('mlp-empty-path-');
    await expect(planOffline({ synthDir: 'unused', env: { PATH: empty } })).rejects.toMatchObject({
      constructor: OfflinePlanUnavailable,
      reason: 'terraform-missing',
      message: expect.stringContaining('terraform not found on PATH'),
    });
  });

  test('says the mirror is missing when TF_PLUGIN_MIRROR holds no providers', async () => {
    const emptyMirror = tempDir('mlp-empty-mirror-');
    mkdirSync(path.join(emptyMirror, 'registry.terraform.io'));
    await expect(planOffline({ synthDir: 'unused', env: { PATH: fakeTerraformDir(), TF_PLUGIN_MIRROR: emptyMirror } })).rejects.toMatchObject({
      reason: 'mirror-missing',
      message: expect.stringContaining(`TF_PLUGIN_MIRROR=${emptyMirror} holds no providers`),
    });
  });

  test('does not need a mirror when providers may be downloaded', async () => {
    const emptyMirror = tempDir('mlp-empty-mirror-');
    await expect(
      planOffline({ synthDir: path.join(emptyMirror, 'no-synth'), online: true, env: { PATH: fakeTerraformDir(), TF_PLUGIN_MIRROR: emptyMirror } }),
    ).rejects.toThrow(/no-synth: synth output directory not found; run 'npm run synth'/);
  });
});
