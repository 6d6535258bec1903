/** Comparing two versions of a stack block by block. */
import { blocksOf } from '../../../tools/plan-review/blocks';
import { compareBlocks } from '../../../tools/plan-review/compare';
import { forcesReplacement, isDataBearing } from '../../../tools/plan-review/replacement';

function stack(resources: Record<string, Record<string, Record<string, unknown>>>): ReturnType<typeof blocksOf> {
  const withPaths: Record<string, Record<string, unknown>> = {};
  for (const [type, byName] of Object.entries(resources)) {
    withPaths[type] = Object.fromEntries(
      Object.entries(byName).map(([name, config]) => [name, { '//': { metadata: { path: `tenant-a/${name}`, uniqueId: name } }, ...config }]),
    );
  }
  return blocksOf({ '//': { metadata: { stackName: 'tenant-a' } }, resource: withPaths });
}

const bucket = (name: string) => ({ bucket: name, lifecycle: { prevent_destroy: true } });

describe('block comparison', () => {
  it('finds nothing between identical stacks', () => {
    const s = stack({ aws_s3_bucket: { data: bucket('b1') } });
    expect(compareBlocks('tenant-a', s, stack({ aws_s3_bucket: { data: bucket('b1') } }))).toEqual([]);
  });

  it('reads addresses as <type>.<name> and construct paths without the stack name', () => {
    const [change] = compareBlocks('tenant-a', undefined, stack({ aws_s3_bucket: { data: bucket('b1') } }));
    expect(change).toEqual(expect.objectContaining({ action: 'create', address: 'aws_s3_bucket.data', path: 'data', dataBearing: true }));
  });

  it('lists a changed attribute old → new, nested paths dotted', () => {
    const before = stack({ aws_eks_node_group: { pool: { scaling_config: { min_size: 0, max_size: 4 } } } });
    const after = stack({ aws_eks_node_group: { pool: { scaling_config: { min_size: 0, max_size: 8 } } } });
    const [change] = compareBlocks('tenant-a', before, after);
    expect(change.action).toBe('update');
    expect(change.attributes).toEqual([{ path: 'scaling_config.max_size', before: 4, after: 8, forcesReplacement: false }]);
  });

  it('leaves out attributes named in lifecycle.ignore_changes', () => {
    const pool = (desired: number) => ({
      scaling_config: { desired_size: desired, max_size: 4 },
      lifecycle: { ignore_changes: ['scaling_config[0].desired_size'] },
    });
    expect(compareBlocks('tenant-a', stack({ aws_eks_node_group: { pool: pool(0) } }), stack({ aws_eks_node_group: { pool: pool(3) } }))).toEqual([]);
  });

  it('replaces a bucket whose name changes', () => {
    const [change] = compareBlocks('tenant-a', stack({ aws_s3_bucket: { data: bucket('b1') } }), stack({ aws_s3_bucket: { data: bucket('b2') } }));
    expect(change.action).toBe('replace');
    expect(change.attributes).toEqual([{ path: 'bucket', before: 'b1', after: 'b2', forcesReplacement: true }]);
  });

  it('pairs a removed and an added data-bearing resource of one owner as a replacement', () => {
    const changes = compareBlocks('tenant-a', stack({ aws_kms_key: { old: { description: 'k' } } }), stack({ aws_kms_key: { renamed: { description: 'k' } } }));
    expect(changes.map((c) => [c.action, c.address, c.previousAddress])).toEqual([['replace', 'aws_kms_key.renamed', 'aws_kms_key.old']]);
  });

  it('does not pair resources of different owners', () => {
    const owner = (b: { address: string }) => (b.address.includes('a-') ? 'a' : 'b');
    const changes = compareBlocks(
      'organization',
      stack({ aws_organizations_account: { 'a-account': { email: 'a@x.io' } } }),
      stack({ aws_organizations_account: { 'b-account': { email: 'b@x.io' } } }),
      owner,
    );
    expect(changes.map((c) => c.action).sort()).toEqual(['create', 'delete']);
  });

  it('marks a data-bearing resource that loses prevent_destroy', () => {
    const [change] = compareBlocks('tenant-a', stack({ aws_s3_bucket: { data: bucket('b1') } }), stack({ aws_s3_bucket: { data: { bucket: 'b1' } } }));
    expect(change.protectionRemoved).toBe(true);
  });

  it('compares providers, outputs and terraform settings by their own addresses', () => {
    const base = blocksOf({
      provider: { aws: [{ region: 'us-east-1' }, { alias: 'platform', region: 'us-east-1' }] },
      output: { id: { value: 'x' } },
      terraform: { backend: { s3: { key: 'a' } } },
    });
    const head = blocksOf({
      provider: { aws: [{ region: 'us-east-1' }, { alias: 'platform', region: 'us-west-2' }] },
      output: { id: { value: 'x' } },
      terraform: { backend: { s3: { key: 'b' } } },
    });
    expect(
      compareBlocks('s', base, head)
        .map((c) => [c.kind, c.address])
        .sort(),
    ).toEqual([
      ['provider', 'provider.aws.platform'],
      ['terraform', 'terraform.backend'],
    ]);
  });
});

describe('replacement table', () => {
  it.each([
    ['aws_s3_bucket', 'bucket', true],
    ['aws_s3_bucket', 'tags.owner', false],
    ['aws_organizations_account', 'email', true],
    ['aws_organizations_account', 'parent_id', false],
    ['aws_kms_key', 'customer_master_key_spec', true],
    ['aws_kms_key', 'description', false],
    ['aws_eks_node_group', 'instance_types', true],
    ['aws_eks_node_group', 'scaling_config.max_size', false],
    ['kubernetes_namespace_v1', 'metadata.name', true],
    ['kubernetes_namespace_v1', 'metadata.labels.tenant', false],
  ])('%s.%s forces replacement: %s', (type, attribute, expected) => {
    expect(forcesReplacement(type, attribute)).toBe(expected);
  });

  it('counts buckets, keys and accounts as data-bearing, node groups not', () => {
    expect(['aws_s3_bucket', 'aws_kms_key', 'aws_organizations_account', 'aws_eks_node_group'].map(isDataBearing)).toEqual([true, true, true, false]);
  });
});
