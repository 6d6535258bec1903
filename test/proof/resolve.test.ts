import { readSynthDir, ResolveError, Resolver, type JsonObject, type SynthStack } from '../../proof/resolve';
import { InputError } from '../../kernel/errors';

const ORG_OUTPUT = 'data.terraform_remote_state.cross-stack-reference-input-organization.outputs';
const SHARED_OUTPUT = 'data.terraform_remote_state.cross-stack-reference-input-shared.outputs';

function remoteState(stack: string): JsonObject {
  return { backend: 's3', config: { bucket: 'state', key: `prefix/${stack}.tfstate`, region: 'us-east-1' }, workspace: '${terraform.workspace}' };
}

function provider(roleArn: string): JsonObject {
  return { aws: [{ region: 'us-east-1', assume_role: [{ role_arn: roleArn }] }] };
}

/** A small platform in the shape cdktf writes: an organization, a shared cluster, and two tenants. */
function stacks(): SynthStack[] {
  const tenant = (name: string, output: string): SynthStack => ({
    name: `tenant-${name}`,
    file: `tenant-${name}.json`,
    json: {
      data: {
        terraform_remote_state: {
          'cross-stack-reference-input-organization': remoteState('organization'),
          'cross-stack-reference-input-shared': remoteState('shared'),
        },
      },
      provider: provider(`arn:aws:iam::\${${ORG_OUTPUT}.${output}}:role/Access`),
      resource: {
        aws_s3_bucket: { data: { bucket: `${name}-data` } },
        aws_s3_bucket_policy: {
          data: { bucket: '${aws_s3_bucket.data.id}', policy: '${jsonencode({"Statement" = [{"Resource" = "${aws_s3_bucket.data.arn}/*"}]})}' },
        },
        aws_iam_role: { role: { name: `${name}-role`, assume_role_policy: '{}' }, loop: { name: '${aws_iam_role.loop.arn}' } },
        aws_kms_key: { key: {} },
        aws_iam_openid_connect_provider: { oidc: { url: `\${${SHARED_OUTPUT}.issuer}` } },
        aws_subnet: { s: { cidr_block: '10.0.0.0/24' } },
      },
    },
  });
  return [
    {
      name: 'organization',
      file: 'organization.json',
      json: {
        provider: provider('arn:aws:iam::111111111111:role/deployer'),
        resource: { aws_organizations_account: { one: { name: 'p-one' }, two: { name: 'p-two' } } },
        output: { one: { value: '${aws_organizations_account.one.id}' }, two: { value: '${aws_organizations_account.two.id}' } },
      },
    },
    {
      name: 'shared',
      file: 'shared.json',
      json: {
        provider: provider('arn:aws:iam::222222222222:role/deployer'),
        resource: { aws_eks_cluster: { cluster: { name: 'shared' } } },
        output: { issuer: { value: '${aws_eks_cluster.cluster.identity[0].oidc[0].issuer}' } },
      },
    },
    tenant('one', 'one'),
    tenant('two', 'two'),
  ];
}

const ref = (stack: string, type: string, name: string) => ({ stack, type, name });

describe('resolving synthesized stacks with placeholders', () => {
  const r = new Resolver(stacks());

  test("derives a bucket's ARN from its name", () => {
    expect(r.attribute(ref('tenant-one', 'aws_s3_bucket', 'data'), ['arn'])).toBe('arn:aws:s3:::one-data');
  });

  test('gives each vended account a distinct 12-digit id, and finds it through the remote state in the provider role', () => {
    const one = r.providerOf('tenant-one').account;
    const two = r.providerOf('tenant-two').account;
    expect(one).toMatch(/^[1-9]\d{11}$/);
    expect(two).toMatch(/^[1-9]\d{11}$/);
    expect(one).not.toBe(two);
  });

  test("builds a role's ARN from its name and its stack's account", () => {
    const account = r.providerOf('tenant-one').account;
    expect(r.attribute(ref('tenant-one', 'aws_iam_role', 'role'), ['arn'])).toBe(`arn:aws:iam::${account}:role/one-role`);
  });

  test('gives a key an ARN with a UUID in the tenant account and region, the same on every run', () => {
    const arn = String(r.attribute(ref('tenant-one', 'aws_kms_key', 'key'), ['arn']));
    expect(arn).toMatch(
      new RegExp(`^arn:aws:kms:us-east-1:${r.providerOf('tenant-one').account}:key/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$`),
    );
    expect(new Resolver(stacks()).attribute(ref('tenant-one', 'aws_kms_key', 'key'), ['arn'])).toBe(arn);
    expect(r.attribute(ref('tenant-two', 'aws_kms_key', 'key'), ['arn'])).not.toBe(arn);
  });

  test("resolves the cluster's OIDC issuer across stacks to a fixed https URL", () => {
    const url = r.argument(ref('tenant-one', 'aws_iam_openid_connect_provider', 'oidc'), 'url');
    expect(url).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(r.attribute(ref('tenant-one', 'aws_iam_openid_connect_provider', 'oidc'), ['arn'])).toBe(
      `arn:aws:iam::${r.providerOf('tenant-one').account}:oidc-provider/${String(url).slice('https://'.length)}`,
    );
  });

  test('evaluates a rendered policy with references', () => {
    expect(JSON.parse(String(r.argument(ref('tenant-two', 'aws_s3_bucket_policy', 'data'), 'policy')))).toEqual({
      Statement: [{ Resource: 'arn:aws:s3:::two-data/*' }],
    });
  });

  test('fails, naming stack, resource and expression, on an attribute it has no placeholder for', () => {
    const local = stacks();
    ((local[2].json.resource as JsonObject).aws_s3_bucket_policy as JsonObject).data = { bucket: '${aws_subnet.s.id}' };
    let error: unknown;
    try {
      new Resolver(local).argument(ref('tenant-one', 'aws_s3_bucket_policy', 'data'), 'bucket');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResolveError);
    expect((error as Error).message).toBe(
      'tenant-one aws_s3_bucket_policy.data bucket: cannot resolve "${aws_subnet.s.id}": aws_subnet.s.id: no placeholder for this attribute, and it is not an argument of the resource',
    );
  });

  test('fails on an expression that refers to itself', () => {
    expect(() => r.argument(ref('tenant-one', 'aws_iam_role', 'loop'), 'name')).toThrow(/refers to itself/);
  });

  test('fails when a provider has no role to tell the account from', () => {
    const local = stacks();
    local[2].json.provider = { aws: [{ region: 'us-east-1' }] };
    expect(() => new Resolver(local).providerOf('tenant-one')).toThrow(/tenant-one provider\.aws: .*no assume_role\.role_arn/);
  });

  test('fails when a remote state points at a stack that is not in the output', () => {
    const local = stacks().filter((s) => s.name !== 'shared');
    expect(() => new Resolver(local).argument(ref('tenant-one', 'aws_iam_openid_connect_provider', 'oidc'), 'url')).toThrow(
      /remote state 'prefix\/shared\.tfstate' is not a stack of this output/,
    );
  });
});

describe('reading a synthesized output directory', () => {
  test('is the kernel reader: a missing directory is an InputError naming it', () => {
    expect(() => readSynthDir('/nonexistent/cdktf.out')).toThrow(InputError);
    expect(() => readSynthDir('/nonexistent/cdktf.out')).toThrow(/\/nonexistent\/cdktf\.out: synth output directory not found; run 'npm run synth'/);
  });
});
