import { placeholderAccountId, placeholderState, sourceOfExpression, sourceOfOutputName } from '../../kernel/placeholders';
import { sampleSynth, stackNamed } from '../tools/offline-plan/fixtures';

type Json = Record<string, any>;

function outputsOf(stackName: string): Record<string, string> {
  const state = placeholderState(stackNamed(sampleSynth().stacks, stackName));
  return Object.fromEntries(Object.entries(state.outputs).map(([name, output]) => [name, output.value]));
}

function outputEnding(outputs: Record<string, string>, suffix: string): string[] {
  return Object.entries(outputs)
    .filter(([name]) => name.endsWith(suffix))
    .map(([, value]) => value);
}

describe('placeholder state of an upstream stack', () => {
  test('gives the same values for the same stack every time', () => {
    expect(outputsOf('shared')).toEqual(outputsOf('shared'));
    expect(outputsOf('organization')).toEqual(outputsOf('organization'));
  });

  test('gives different outputs of the same shape different values', () => {
    const subnets = outputEnding(outputsOf('shared'), 'id');
    expect(subnets.length).toBeGreaterThan(1);
    expect(new Set(subnets).size).toBe(subnets.length);
  });

  test('gives vended accounts distinct 12-digit account ids', () => {
    const ids = ['account-analytics', 'account-fraud-detection'].flatMap((stack) => Object.values(outputsOf(stack)));
    expect(ids.length).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[1-9]\d{11}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('takes the cluster name from the upstream configuration, where it is a literal', () => {
    const clusters = (stackNamed(sampleSynth().stacks, 'shared').config as Json).resource.aws_eks_cluster;
    const [cluster] = Object.values(clusters) as Json[];
    expect(outputEnding(outputsOf('shared'), 'name')).toEqual([cluster.name]);
  });

  test('gives the cluster an https EKS endpoint and an https OIDC issuer', () => {
    const outputs = outputsOf('shared');
    expect(outputEnding(outputs, 'endpoint')[0]).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com$/);
    expect(outputEnding(outputs, 'issuer')[0]).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
  });

  test('gives certificate authority data that base64-decodes to a PEM certificate', () => {
    const [data] = outputEnding(outputsOf('shared'), 'certificate_authority0data');
    const pem = Buffer.from(data, 'base64').toString('utf8');
    expect(Buffer.from(pem, 'utf8').toString('base64')).toBe(data);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n$/);
  });

  test('gives subnets subnet-style ids', () => {
    const subnets = Object.entries(outputsOf('shared')).filter(([name]) => name.includes('aws_subnet'));
    expect(subnets.length).toBeGreaterThan(0);
    for (const [, id] of subnets) expect(id).toMatch(/^subnet-[0-9a-f]{17}$/);
  });

  test('keeps the sensitive flag of each output', () => {
    const shared = stackNamed(sampleSynth().stacks, 'shared');
    const state = placeholderState(shared);
    for (const [name, output] of Object.entries((shared.config as Json).output)) {
      expect(state.outputs[name].sensitive).toBe((output as Json).sensitive === true);
    }
  });

  test('reads the resource and attribute from an output value that is a plain reference', () => {
    expect(sourceOfExpression('${aws_eks_cluster.cluster_A4C38409.identity[0].oidc[0].issuer}')).toEqual({
      resourceType: 'aws_eks_cluster',
      resourceName: 'cluster_A4C38409',
      attribute: 'identity.oidc.issuer',
    });
    expect(sourceOfExpression('${upper(aws_eks_cluster.cluster_A4C38409.name)}')).toBeUndefined();
  });

  test("reads the resource and attribute from cdktf's cross-stack output name", () => {
    expect(sourceOfOutputName('cross-stack-output-aws_eks_clustercluster_A4C38409certificate_authority0data')).toEqual({
      resourceType: 'aws_eks_cluster',
      resourceName: 'cluster_A4C38409',
      attribute: 'certificate_authority.data',
    });
    expect(sourceOfOutputName('cross-stack-output-aws_subnetnetwork_private-us-east-1a_E1039AEFid')).toMatchObject({
      resourceType: 'aws_subnet',
      attribute: 'id',
    });
    expect(sourceOfOutputName('some-output')).toBeUndefined();
  });

  test('shapes an output from its name when its value is not a plain reference', () => {
    const upstream = {
      name: 'org',
      file: 'org/cdk.tf.json',
      config: {
        output: {
          'cross-stack-output-aws_organizations_accountteam-account_0A1B2C3Did': { value: '${lower(aws_organizations_account.team-account_0A1B2C3D.id)}' },
        },
      },
    };
    expect(Object.values(placeholderState(upstream).outputs)[0].value).toMatch(/^[1-9]\d{11}$/);
  });

  test('makes ARNs in the upstream account, taken from the role its provider assumes', () => {
    const upstream = {
      name: 'roles',
      file: 'roles/cdk.tf.json',
      config: {
        provider: { aws: [{ region: 'eu-west-1', assume_role: [{ role_arn: 'arn:aws:iam::444455556666:role/deployer' }] }] },
        resource: { aws_iam_role: { app_0A1B2C3D: { name: 'app-role' } }, aws_kms_key: { key_0A1B2C3D: {} } },
        output: {
          role: { value: '${aws_iam_role.app_0A1B2C3D.arn}' },
          key: { value: '${aws_kms_key.key_0A1B2C3D.arn}' },
          keyId: { value: '${aws_kms_key.key_0A1B2C3D.key_id}' },
        },
      },
    };
    const outputs = placeholderState(upstream).outputs;
    expect(outputs.role.value).toBe('arn:aws:iam::444455556666:role/app-role');
    expect(outputs.key.value).toMatch(/^arn:aws:kms:eu-west-1:444455556666:key\/key-[0-9a-f]{6}$/);
    expect(outputs.keyId.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('makes 12-digit account ids from any seed', () => {
    for (const seed of ['a', 'b', 'organization/x', '']) expect(placeholderAccountId(seed)).toMatch(/^[1-9]\d{11}$/);
  });
});
