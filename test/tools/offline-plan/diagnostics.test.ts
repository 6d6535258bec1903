import { ConfigLocator, formatConfig, streamDiagnostics } from '../../../tools/offline-plan/diagnostics';

const CONFIG = {
  terraform: { backend: { local: { path: 'terraform.tfstate' } } },
  data: { aws_region: { here: { '//': { metadata: { path: 'app/here' } } } } },
  resource: {
    aws_eks_node_group: {
      'pool_nodes_node-group_F575CA85': { '//': { metadata: { path: 'app/pool/nodes/node-group' } }, capacity_type: 'CHEAP', scaling_config: { min_size: 0 } },
    },
    aws_s3_bucket: { data_1A2B3C4D: { '//': { metadata: { path: 'app/buckets/data' } }, bucket: 'b' } },
  },
};
const TEXT = formatConfig(CONFIG);
const lineOf = (needle: string) => TEXT.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('diagnostics mapped to construct paths', () => {
  const locator = new ConfigLocator(CONFIG, TEXT);

  test('finds the block of a line of the offline configuration', () => {
    expect(locator.addressAtLine(lineOf('"capacity_type"'))).toBe('aws_eks_node_group.pool_nodes_node-group_F575CA85');
    expect(locator.addressAtLine(lineOf('"min_size"'))).toBe('aws_eks_node_group.pool_nodes_node-group_F575CA85');
    expect(locator.addressAtLine(lineOf('"bucket"'))).toBe('aws_s3_bucket.data_1A2B3C4D');
    expect(locator.addressAtLine(lineOf('app/here'))).toBe('data.aws_region.here');
    expect(locator.addressAtLine(lineOf('"backend"'))).toBeUndefined();
  });

  test("maps a diagnostic's address, with instance keys, to the construct path", () => {
    const mapped = locator.toPlanDiagnostic('plan', { severity: 'error', summary: 'bad', address: 'aws_s3_bucket.data_1A2B3C4D[0]' });
    expect(mapped).toMatchObject({ address: 'aws_s3_bucket.data_1A2B3C4D', constructPath: 'app/buckets/data', stage: 'plan', severity: 'error' });
  });

  test('maps a diagnostic without an address by its snippet context', () => {
    const mapped = locator.toPlanDiagnostic('validate', {
      severity: 'error',
      summary: 'Unsupported argument',
      snippet: { context: 'resource.aws_eks_node_group.pool_nodes_node-group_F575CA85' },
    });
    expect(mapped.constructPath).toBe('app/pool/nodes/node-group');
  });

  test('maps a diagnostic with only a range by its line', () => {
    const mapped = locator.toPlanDiagnostic('validate', {
      severity: 'warning',
      summary: 'Deprecated',
      range: { filename: 'cdk.tf.json', start: { line: lineOf('"bucket"') } },
    });
    expect(mapped).toMatchObject({ severity: 'warning', constructPath: 'app/buckets/data' });
  });

  test('reads diagnostics from a machine-readable UI stream and ignores other messages', () => {
    const stream = [
      '{"@level":"info","type":"version","terraform":"1.11.4"}',
      '{"@level":"error","type":"diagnostic","diagnostic":{"severity":"error","summary":"expected capacity_type to be one of","address":"aws_eks_node_group.x"}}',
      'not json',
    ].join('\n');
    expect(streamDiagnostics(stream)).toEqual([{ severity: 'error', summary: 'expected capacity_type to be one of', address: 'aws_eks_node_group.x' }]);
  });
});
