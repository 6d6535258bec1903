import { FAKE_AWS_CREDENTIALS, makeOfflineCopy } from '../../../tools/offline-plan/offline-copy';
import type { SynthesizedStack } from '../../../kernel/synth-output';
import { AWS_ONLY_MIRROR, countResourcesOf, sampleSynth, stackNamed } from './fixtures';

type Json = Record<string, any>;

function offline(name: string, mirror = AWS_ONLY_MIRROR) {
  const { stacks } = sampleSynth();
  return makeOfflineCopy(stackNamed(stacks, name), { allStacks: stacks, mirror });
}

function awsProviders(config: Json): Json[] {
  const aws = config.provider?.aws;
  return Array.isArray(aws) ? aws : [aws];
}

/** A minimal stack for the cases the samples do not have. */
function stack(name: string, config: Json): SynthesizedStack {
  return { name, file: `${name}/cdk.tf.json`, config };
}

const K8S_AND_AWS = {
  terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' }, kubernetes: { source: 'kubernetes', version: '2.38.0' } } },
  provider: { aws: [{ region: 'us-east-1' }], kubernetes: [{ host: 'https://example.com' }] },
};

describe('offline copy of a synthesized stack', () => {
  test('replaces the S3 backend with a local one', () => {
    const { config } = offline('shared');
    expect(config.terraform).toMatchObject({ backend: { local: { path: 'terraform.tfstate' } } });
    expect((config.terraform as Json).backend.s3).toBeUndefined();
  });

  test('gives every AWS provider block fake static credentials and the skip flags, and keeps its region and alias', () => {
    const original = stackNamed(sampleSynth().stacks, 'tenant-fraud-detection').config as Json;
    const providers = awsProviders(offline('tenant-fraud-detection').config);
    expect(providers).toHaveLength(awsProviders(original).length);
    providers.forEach((provider, i) => {
      expect(provider).toMatchObject(FAKE_AWS_CREDENTIALS);
      expect(provider.region).toBe(awsProviders(original)[i].region);
      expect(provider.alias).toBe(awsProviders(original)[i].alias);
    });
  });

  test('removes assume_role from every AWS provider block, since it would call STS', () => {
    const original = stackNamed(sampleSynth().stacks, 'tenant-fraud-detection').config as Json;
    expect(awsProviders(original).every((p) => p.assume_role)).toBe(true);
    expect(awsProviders(offline('tenant-fraud-detection').config).some((p) => 'assume_role' in p)).toBe(false);
  });

  test('does not change the synthesized configuration it copies', () => {
    const original = stackNamed(sampleSynth().stacks, 'tenant-fraud-detection');
    const before = JSON.stringify(original.config);
    offline('tenant-fraud-detection');
    expect(JSON.stringify(original.config)).toBe(before);
  });

  test('points each remote state input at a placeholder state file of its upstream stack', () => {
    const { config, inputs } = offline('tenant-fraud-detection');
    const remote = (config.data as Json).terraform_remote_state as Json;
    expect(
      Object.values(remote)
        .map((input) => [input.backend, input.config.path])
        .sort(),
    ).toEqual([
      ['local', 'inputs/account-fraud-detection.tfstate'],
      ['local', 'inputs/shared.tfstate'],
    ]);
    expect([...inputs.keys()].sort()).toEqual(['inputs/account-fraud-detection.tfstate', 'inputs/shared.tfstate']);
  });

  test('writes a placeholder for every output the upstream stack declares', () => {
    const { stacks } = sampleSynth();
    const { inputs } = offline('tenant-fraud-detection');
    for (const upstream of ['account-fraud-detection', 'shared']) {
      const declared = Object.keys((stackNamed(stacks, upstream).config as Json).output ?? {});
      expect(declared.length).toBeGreaterThan(0);
      expect(Object.keys(inputs.get(`inputs/${upstream}.tfstate`)!.outputs).sort()).toEqual(declared.sort());
    }
  });

  test('leaves out the kubernetes resources, provider block and required provider, and counts them', () => {
    const original = stackNamed(sampleSynth().stacks, 'tenant-analytics').config as Json;
    const { config, notValidated } = offline('tenant-analytics');
    const kubernetes = countResourcesOf(original, (type) => type.startsWith('kubernetes_'));
    expect(kubernetes).toBeGreaterThan(0);
    expect(countResourcesOf(config, (type) => type.startsWith('kubernetes_'))).toBe(0);
    expect((config.provider as Json).kubernetes).toBeUndefined();
    expect((config.terraform as Json).required_providers.kubernetes).toBeUndefined();
    expect(notValidated).toEqual([expect.objectContaining({ provider: 'kubernetes', resources: kubernetes, dataSources: 0 })]);
    expect(notValidated[0].reason).toContain('registry.terraform.io/hashicorp/kubernetes 2.38.0 is not in the plugin mirror');
  });

  test('keeps every AWS resource of the stack', () => {
    const original = stackNamed(sampleSynth().stacks, 'tenant-fraud-detection').config as Json;
    const { config } = offline('tenant-fraud-detection');
    const aws = (c: Json) => countResourcesOf(c, (type) => type.startsWith('aws_'));
    expect(aws(config)).toBe(aws(original));
  });

  test('removes a provider object left empty, which Terraform would reject', () => {
    const { config, notValidated } = offline('shared-k8s');
    expect(config.provider).toBeUndefined();
    expect(config.resource).toBeUndefined();
    expect(notValidated[0].resources).toBeGreaterThan(0);
  });

  test('leaves nothing out when providers may be downloaded (no mirror given)', () => {
    const { stacks } = sampleSynth();
    const { config, notValidated } = makeOfflineCopy(stackNamed(stacks, 'tenant-analytics'), { allStacks: stacks });
    expect(notValidated).toEqual([]);
    expect((config.provider as Json).kubernetes).toBeDefined();
  });

  test('leaves out a resource that refers to a left-out one, and counts it under its own provider', () => {
    const copy = makeOfflineCopy(
      stack('mixed', {
        ...K8S_AND_AWS,
        resource: {
          kubernetes_namespace_v1: { ns: { metadata: [{ name: 'x' }] } },
          aws_ssm_parameter: {
            refers: { name: '/ns', type: 'String', value: '${kubernetes_namespace_v1.ns.metadata[0].name}' },
            independent: { name: '/other', type: 'String', value: 'x' },
          },
        },
      }),
      { allStacks: [], mirror: AWS_ONLY_MIRROR },
    );
    expect(Object.keys((copy.config.resource as Json).aws_ssm_parameter)).toEqual(['independent']);
    expect(copy.notValidated).toEqual([
      expect.objectContaining({ provider: 'kubernetes', resources: 1 }),
      expect.objectContaining({ provider: 'aws', resources: 1, reason: expect.stringContaining('refers to resources left out') }),
    ]);
  });

  test('drops a depends_on entry naming a left-out resource but keeps the resource', () => {
    const copy = makeOfflineCopy(
      stack('ordered', {
        ...K8S_AND_AWS,
        resource: {
          kubernetes_namespace_v1: { ns: { metadata: [{ name: 'x' }] } },
          aws_ssm_parameter: { after: { name: '/a', type: 'String', value: 'x', depends_on: ['kubernetes_namespace_v1.ns'] } },
        },
      }),
      { allStacks: [], mirror: AWS_ONLY_MIRROR },
    );
    expect((copy.config.resource as Json).aws_ssm_parameter.after.depends_on).toBeUndefined();
    expect(copy.notValidated.map((n) => n.provider)).toEqual(['kubernetes']);
  });

  test('leaves out an output that refers to a left-out resource, with a warning', () => {
    const copy = makeOfflineCopy(
      stack('exports', {
        ...K8S_AND_AWS,
        resource: { kubernetes_namespace_v1: { ns: { metadata: [{ name: 'x' }] } } },
        output: { namespace: { value: '${kubernetes_namespace_v1.ns.metadata[0].name}' }, region: { value: 'us-east-1' } },
      }),
      { allStacks: [], mirror: AWS_ONLY_MIRROR },
    );
    expect(Object.keys(copy.config.output as Json)).toEqual(['region']);
    expect(copy.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', summary: expect.stringContaining("output 'namespace' left out") })]);
    expect(copy.plannable).toBe(true);
  });

  test('reports a data source that calls the AWS API as an error at its construct path, and does not plan', () => {
    const copy = makeOfflineCopy(
      stack('lookup', {
        ...K8S_AND_AWS,
        data: { aws_caller_identity: { me: { '//': { metadata: { path: 'lookup/me' } } } } },
      }),
      { allStacks: [], mirror: AWS_ONLY_MIRROR },
    );
    expect(copy.plannable).toBe(false);
    expect(copy.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        stage: 'offline-copy',
        address: 'data.aws_caller_identity.me',
        constructPath: 'lookup/me',
        summary: expect.stringContaining('calls the AWS API'),
      }),
    ]);
  });

  test('accepts AWS data sources that compute locally, such as aws_iam_policy_document', () => {
    const copy = makeOfflineCopy(
      stack('local', { ...K8S_AND_AWS, data: { aws_iam_policy_document: { doc: { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }] } } } }),
      {
        allStacks: [],
        mirror: AWS_ONLY_MIRROR,
      },
    );
    expect(copy.diagnostics).toEqual([]);
    expect(copy.plannable).toBe(true);
  });

  test('reports a remote state input that reads no stack of the synth output', () => {
    const copy = makeOfflineCopy(
      stack('orphan', {
        ...K8S_AND_AWS,
        data: { terraform_remote_state: { elsewhere: { backend: 's3', config: { bucket: 'b', key: 'nowhere.tfstate', region: 'us-east-1' } } } },
      }),
      { allStacks: [], mirror: AWS_ONLY_MIRROR },
    );
    expect(copy.plannable).toBe(false);
    expect(copy.diagnostics[0]).toMatchObject({
      severity: 'error',
      address: 'data.terraform_remote_state.elsewhere',
      summary: expect.stringContaining('reads the state of no stack'),
    });
  });
});
