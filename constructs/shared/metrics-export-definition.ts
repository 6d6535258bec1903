/**
 * The tenant metrics export as a Step Functions state machine (Amazon States Language with
 * JSONata): read one namespace's Container Insights metrics in the platform account
 * (`cloudwatch:GetMetricData`), write them into that tenant's own account
 * (`cloudwatch:PutMetricData` with the tenant's writer role as the task's credentials).
 * Pure data: the tests run its JSONata expressions on realistic responses (docs/metrics.md).
 */

/** Where Container Insights publishes (the CloudWatch Observability add-on), in the platform account. */
export const CONTAINER_INSIGHTS_NAMESPACE = 'ContainerInsights';

/**
 * The metrics a tenant gets, each as Container Insights publishes it with the dimensions
 * `ClusterName` and `Namespace` (enhanced observability; GPU metrics from the DCGM exporter
 * the add-on runs on NVIDIA nodes). The unit is the one written in the tenant's account.
 */
export const EXPORTED_METRICS = [
  { name: 'pod_gpu_utilization', unit: 'Percent' },
  { name: 'pod_gpu_memory_utilization', unit: 'Percent' },
  { name: 'pod_gpu_memory_used', unit: 'Bytes' },
  { name: 'pod_gpu_memory_total', unit: 'Bytes' },
  { name: 'pod_gpu_power_draw', unit: 'None' },
  { name: 'pod_cpu_utilization', unit: 'Percent' },
  { name: 'pod_memory_utilization', unit: 'Percent' },
] as const;

/** The Step Functions SDK integrations the export calls. */
export const GET_METRIC_DATA_TASK = 'arn:aws:states:::aws-sdk:cloudwatch:getMetricData';
export const PUT_METRIC_DATA_TASK = 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData';

/** How often each tenant's export runs (its schedule) and the length of the window it copies. */
export const EXPORT_INTERVAL_MINUTES = 10;
/**
 * How far the window's end lies behind the run's slot: Container Insights data arrives a few
 * minutes late, and a window read too early would stay incomplete in the tenant's copy.
 */
export const EXPORT_DELAY_MINUTES = 5;
/** The resolution of the copy: one datapoint per minute, as Container Insights publishes. */
export const EXPORT_PERIOD_SECONDS = 60;

/** The schedule's fixed input: the one namespace to read and the writer role in that tenant's account. */
export interface ExportInput {
  readonly namespace: string;
  readonly writerRoleArn: string;
}

export interface ExportDefinitionProps {
  /** The shared cluster's name as Container Insights writes it in `ClusterName` (platform.yaml `cluster.name`). */
  readonly clusterName: string;
  /** The CloudWatch namespace of the copy in the tenant's account (`metricsExportNames().tenantNamespace`). */
  readonly tenantNamespace: string;
  /** Prefix of every writer role's name: a writer role is `<prefix>-<namespace>-metrics-writer`. */
  readonly platformName: string;
}

const millis = (minutes: number) => minutes * 60_000;

/**
 * JSONata: the run's window, aligned to its schedule slot. Runs start within the slot (the
 * schedule's flexible window and retry age are shorter than the interval), so consecutive
 * runs copy consecutive windows, without gaps or overlaps.
 */
export function windowExpressions(): { start: string; end: string } {
  const slot = `$floor($toMillis($states.context.Execution.StartTime) / ${millis(EXPORT_INTERVAL_MINUTES)}) * ${millis(EXPORT_INTERVAL_MINUTES)}`;
  const end = `(${slot} - ${millis(EXPORT_DELAY_MINUTES)})`;
  return {
    start: `{% $fromMillis(${end} - ${millis(EXPORT_INTERVAL_MINUTES)}) %}`,
    end: `{% $fromMillis(${end}) %}`,
  };
}

/** JSONata: the input is one DNS-label namespace and that namespace's own writer role (by name), in some account. */
export function inputCheckExpression(platformName: string): string {
  const input = '$states.input';
  return [
    '{% (',
    `$type(${input}.namespace) = 'string' and $type(${input}.writerRoleArn) = 'string'`,
    `and $contains(${input}.namespace, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)`,
    `and $contains(${input}.writerRoleArn, /^arn:aws:iam::[0-9]{12}:role\\/[^\\/]+$/)`,
    `and $substringAfter(${input}.writerRoleArn, ':role/') = ${JSON.stringify(`${platformName}-`)} & ${input}.namespace & '-metrics-writer'`,
    ') %}',
  ].join(' ');
}

/** JSONata: one query per exported metric, each with the cluster and the input's namespace as its only dimensions. */
export function queriesExpression(clusterName: string): string {
  const names = JSON.stringify(EXPORTED_METRICS.map((m) => m.name));
  return [
    '{% [',
    `$map(${names}, function($name) { {`,
    "'Id': $name,",
    `'MetricStat': { 'Metric': { 'Namespace': ${JSON.stringify(CONTAINER_INSIGHTS_NAMESPACE)}, 'MetricName': $name,`,
    `'Dimensions': [ { 'Name': 'ClusterName', 'Value': ${JSON.stringify(clusterName)} }, { 'Name': 'Namespace', 'Value': $states.input.namespace } ] },`,
    `'Period': ${EXPORT_PERIOD_SECONDS}, 'Stat': 'Average' },`,
    "'ReturnData': true",
    '} })',
    '] %}',
  ].join(' ');
}

/**
 * JSONata: the GetMetricData result as PutMetricData items, one per datapoint, only for the
 * exported metrics' ids, each labelled with the cluster and the input's namespace (never a
 * value taken from the response).
 */
export function pointsExpression(clusterName: string): string {
  const units = JSON.stringify(Object.fromEntries(EXPORTED_METRICS.map((m) => [m.name, m.unit])));
  return [
    '{% (',
    `$units := ${units};`,
    `$dims := [ { 'Name': 'ClusterName', 'Value': ${JSON.stringify(clusterName)} }, { 'Name': 'Namespace', 'Value': $states.input.namespace } ];`,
    "$results := $filter([$states.result.MetricDataResults], function($r) { $type($lookup($units, $r.Id)) = 'string' });",
    '$reduce([ $map($results, function($r) {',
    "  [ $map([$r.Timestamps], function($t, $i) { { 'MetricName': $r.Id, 'Dimensions': $dims, 'Timestamp': $t, 'Value': [$r.Values][$i], 'Unit': $lookup($units, $r.Id) } }) ]",
    '}) ], function($all, $some) { $append($all, $some) }, [])',
    ') %}',
  ].join(' ');
}

/** Retries of a CloudWatch call: throttling at 1,000 tenants starting within minutes of each other. */
const RETRY = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 4, BackoffRate: 2, JitterStrategy: 'FULL' }];

/** The state machine's definition (Amazon States Language, JSONata). */
export function exportDefinition(props: ExportDefinitionProps): Record<string, unknown> {
  const window = windowExpressions();
  return {
    Comment: "Copies one namespace's Container Insights metrics into that tenant's own account (docs/metrics.md)",
    QueryLanguage: 'JSONata',
    StartAt: 'CheckInput',
    States: {
      CheckInput: {
        Type: 'Choice',
        Choices: [{ Condition: inputCheckExpression(props.platformName), Next: 'ReadNamespaceMetrics' }],
        Default: 'RejectInput',
      },
      RejectInput: {
        Type: 'Fail',
        Error: 'InvalidInput',
        Cause:
          'the input must name one namespace and that namespace\'s writer role: { "namespace": "<tenant>", "writerRoleArn": "arn:aws:iam::<tenant account>:role/<platform>-<tenant>-metrics-writer" }',
      },
      ReadNamespaceMetrics: {
        Type: 'Task',
        Resource: GET_METRIC_DATA_TASK,
        Arguments: {
          MetricDataQueries: queriesExpression(props.clusterName),
          StartTime: window.start,
          EndTime: window.end,
          ScanBy: 'TimestampAscending',
        },
        Assign: { points: pointsExpression(props.clusterName), writerRoleArn: '{% $states.input.writerRoleArn %}' },
        Retry: RETRY,
        Next: 'AnyDatapoints',
      },
      AnyDatapoints: {
        Type: 'Choice',
        Choices: [{ Condition: '{% $count($points) > 0 %}', Next: 'WriteTenantMetrics' }],
        Default: 'NothingToWrite',
      },
      WriteTenantMetrics: {
        Type: 'Task',
        Resource: PUT_METRIC_DATA_TASK,
        Credentials: { RoleArn: '{% $writerRoleArn %}' },
        Arguments: { Namespace: props.tenantNamespace, MetricData: '{% $points %}' },
        Retry: RETRY,
        End: true,
      },
      NothingToWrite: { Type: 'Succeed' },
    },
  };
}
