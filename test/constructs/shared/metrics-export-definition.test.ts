/**
 * The export's JSONata, run as Step Functions runs it: `$states.input`, `$states.result`,
 * `$states.context` and the variables assigned by earlier states are bindings.
 */
import jsonata from 'jsonata';
import {
  EXPORTED_METRICS,
  exportDefinition,
  inputCheckExpression,
  pointsExpression,
  queriesExpression,
  windowExpressions,
} from '../../../constructs/shared/metrics-export-definition';

const CLUSTER = 'ml-platform';
const OWN = { namespace: 'analytics', writerRoleArn: 'arn:aws:iam::111111111111:role/mlp-analytics-metrics-writer' };

async function run(expression: string, bindings: Record<string, unknown>): Promise<unknown> {
  const match = /^\{%([\s\S]*)%\}$/.exec(expression);
  if (!match) throw new Error(`not a JSONata expression: ${expression}`);
  return jsonata(match[1]).evaluate({}, bindings);
}

/** A GetMetricData response as the SDK integration returns it: two namespaces' worth would be a bug, so only the asked one. */
function response(namespace: string) {
  const label = (metric: string) => `${metric} ${namespace}`;
  return {
    MetricDataResults: [
      {
        Id: 'pod_gpu_utilization',
        Label: label('pod_gpu_utilization'),
        StatusCode: 'Complete',
        Timestamps: ['2026-11-30T11:55:00Z', '2026-11-30T11:56:00Z', '2026-11-30T11:57:00Z'],
        Values: [87.5, 91, 12.25],
      },
      // One datapoint: JSONata must not unwrap it into a bare string and number.
      { Id: 'pod_gpu_memory_used', Label: label('pod_gpu_memory_used'), StatusCode: 'Complete', Timestamps: ['2026-11-30T11:55:00Z'], Values: [34359738368] },
      { Id: 'pod_gpu_power_draw', Label: label('pod_gpu_power_draw'), StatusCode: 'Complete', Timestamps: [], Values: [] },
      // An id the export never asked for is dropped, not written.
      { Id: 'node_gpu_utilization', Label: 'node', StatusCode: 'Complete', Timestamps: ['2026-11-30T11:55:00Z'], Values: [50] },
    ],
    Messages: [],
  };
}

describe('the metrics export state machine', () => {
  const definition = exportDefinition({ clusterName: CLUSTER, tenantNamespace: 'mlp/ContainerInsights', platformName: 'mlp' });
  const states = definition.States as Record<string, Record<string, unknown>>;

  it('accepts a namespace only with its own writer role', async () => {
    const check = inputCheckExpression('mlp');
    expect(await run(check, { states: { input: OWN } })).toBe(true);
    const refused = [
      { ...OWN, namespace: 'recsys' },
      { ...OWN, writerRoleArn: 'arn:aws:iam::111111111111:role/mlp-recsys-metrics-writer' },
      { ...OWN, writerRoleArn: 'arn:aws:iam::111111111111:role/path/mlp-analytics-metrics-writer' },
      { ...OWN, writerRoleArn: 'arn:aws:iam::11111111111:role/mlp-analytics-metrics-writer' },
      { ...OWN, namespace: 'Analytics' },
      { namespace: 'analytics' },
      { writerRoleArn: OWN.writerRoleArn },
    ];
    for (const input of refused) expect([input, await run(check, { states: { input } })]).toEqual([input, false]);
  });

  it('reads only the input namespace of the cluster, one query per exported metric', async () => {
    const queries = (await run(queriesExpression(CLUSTER), { states: { input: OWN } })) as Record<string, any>[];
    expect(queries.map((q) => q.Id)).toEqual(EXPORTED_METRICS.map((m) => m.name));
    for (const query of queries) {
      expect(query.MetricStat.Metric.Namespace).toBe('ContainerInsights');
      expect(query.MetricStat.Metric.Dimensions).toEqual([
        { Name: 'ClusterName', Value: CLUSTER },
        { Name: 'Namespace', Value: 'analytics' },
      ]);
    }
  });

  it('copies consecutive windows without gaps or overlaps, late enough for Container Insights', async () => {
    const window = windowExpressions();
    const at = async (startTime: string) => [
      await run(window.start, { states: { context: { Execution: { StartTime: startTime } } } }),
      await run(window.end, { states: { context: { Execution: { StartTime: startTime } } } }),
    ];
    expect(await at('2026-11-30T12:00:00.000Z')).toEqual(['2026-11-30T11:45:00.000Z', '2026-11-30T11:55:00.000Z']);
    // Started late in its slot (flexible window): the same window.
    expect(await at('2026-11-30T12:04:59.999Z')).toEqual(['2026-11-30T11:45:00.000Z', '2026-11-30T11:55:00.000Z']);
    expect(await at('2026-11-30T12:10:00.000Z')).toEqual(['2026-11-30T11:55:00.000Z', '2026-11-30T12:05:00.000Z']);
  });

  it("writes the response as the tenant's datapoints, labelled with the input namespace only", async () => {
    const points = (await run(pointsExpression(CLUSTER), { states: { input: OWN, result: response('analytics') } })) as Record<string, any>[];
    expect(points).toHaveLength(4);
    expect(points[0]).toEqual({
      MetricName: 'pod_gpu_utilization',
      Dimensions: [
        { Name: 'ClusterName', Value: CLUSTER },
        { Name: 'Namespace', Value: 'analytics' },
      ],
      Timestamp: '2026-11-30T11:55:00Z',
      Value: 87.5,
      Unit: 'Percent',
    });
    expect(points[3]).toMatchObject({ MetricName: 'pod_gpu_memory_used', Value: 34359738368, Unit: 'Bytes' });
    expect(new Set(points.map((p) => p.Dimensions.find((d: { Name: string }) => d.Name === 'Namespace').Value))).toEqual(new Set(['analytics']));
    expect(points.map((p) => p.MetricName)).not.toContain('node_gpu_utilization');
  });

  it('writes nothing when the namespace had no datapoints', async () => {
    const empty = { MetricDataResults: [{ Id: 'pod_gpu_utilization', Timestamps: [], Values: [] }], Messages: [] };
    const points = await run(pointsExpression(CLUSTER), { states: { input: OWN, result: empty } });
    const choice = (states.AnyDatapoints.Choices as { Condition: string }[])[0].Condition;
    expect(await run(choice, { points })).toBe(false);
  });

  it('writes into one CloudWatch namespace with the input writer role, after the input check', async () => {
    expect(states.CheckInput.Default).toBe('RejectInput');
    const write = states.WriteTenantMetrics;
    expect(write.Resource).toBe('arn:aws:states:::aws-sdk:cloudwatch:putMetricData');
    expect((write.Arguments as Record<string, unknown>).Namespace).toBe('mlp/ContainerInsights');
    const assign = states.ReadNamespaceMetrics.Assign as Record<string, string>;
    const writerRoleArn = await run(assign.writerRoleArn, { states: { input: OWN, result: response('analytics') } });
    expect(await run((write.Credentials as { RoleArn: string }).RoleArn, { writerRoleArn })).toBe(OWN.writerRoleArn);
  });
});
