import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Construct } from 'constructs';
import { policyDocument, renderPolicy } from '../common/policy';
import { exportDefinition } from './metrics-export-definition';

/** Actions a state machine's role needs to deliver its execution logs to a log group (Step Functions' documented list). */
export const STATES_LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;

/** A state machine's ARN from its name: the tenants' schedules name the export by it, without reading the shared stack. */
export function stateMachineArn(region: string, accountId: string, name: string): string {
  return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
}

export interface TenantMetricsExporterProps {
  readonly platformName: string;
  readonly region: string;
  readonly accountId: string;
  /** `ClusterName` as Container Insights writes it (platform.yaml `cluster.name`). */
  readonly clusterName: string;
  readonly names: {
    readonly stateMachine: string;
    readonly exporterRole: string;
    readonly schedulerRole: string;
    readonly logGroup: string;
    readonly writerRolePattern: string;
    readonly tenantNamespace: string;
  };
  readonly logKeyArn: string;
  readonly logRetentionDays: number;
}

/**
 * The platform side of the tenant metrics export (docs/metrics.md), the same size whatever
 * the number of tenants: an Express state machine that copies one namespace's Container
 * Insights metrics into that tenant's account, the role it runs as (which may read
 * CloudWatch here and assume the tenants' writer roles), and the role EventBridge Scheduler
 * starts it with. Each tenant's schedule and writer role live in that tenant's stack.
 */
export class TenantMetricsExporter extends Construct {
  readonly stateMachineArn: string;
  readonly exporterRoleArn: string;
  readonly schedulerRoleArn: string;

  constructor(scope: Construct, id: string, props: TenantMetricsExporterProps) {
    super(scope, id);
    const { names, accountId, region } = props;
    // By name, not by reference: the trust policies below and the tenants' stacks need it before the state machine exists.
    const machineArn = stateMachineArn(region, accountId, names.stateMachine);
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: names.logGroup,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKeyArn,
    });
    const exporter = new IamRole(this, 'exporter-role', {
      name: names.exporterRole,
      description: "Tenant metrics export: reads Container Insights here, writes through each tenant's writer role",
      assumeRolePolicy: renderPolicy(
        policyDocument({
          Sid: 'ThisStateMachineOnly',
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': accountId }, ArnLike: { 'aws:SourceArn': machineArn } },
        }),
      ),
      inlinePolicy: [
        {
          name: 'export',
          policy: renderPolicy(
            policyDocument(
              // GetMetricData has no resource-level permissions; the state machine's queries name the namespace.
              { Sid: 'ReadContainerInsights', Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
              // Any tenant account's writer role; each trusts only this role, and guardrail MLP-MET-1 checks each schedule names its own tenant's.
              { Sid: 'AssumeTenantWriters', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::*:role/${names.writerRolePattern}` },
              { Sid: 'DeliverExecutionLogs', Effect: 'Allow', Action: [...STATES_LOG_DELIVERY_ACTIONS], Resource: '*' },
            ),
          ),
        },
      ],
    });
    const machine = new SfnStateMachine(this, 'state-machine', {
      name: names.stateMachine,
      type: 'EXPRESS',
      roleArn: exporter.arn,
      definition: JSON.stringify(
        exportDefinition({ clusterName: props.clusterName, tenantNamespace: names.tenantNamespace, platformName: props.platformName }),
        null,
        2,
      ),
      loggingConfiguration: { logDestination: `${logGroup.arn}:*`, level: 'ERROR', includeExecutionData: false },
    });
    const scheduler = new IamRole(this, 'scheduler-role', {
      name: names.schedulerRole,
      description: "EventBridge Scheduler: starts the tenant metrics export from each tenant's schedule",
      assumeRolePolicy: renderPolicy(
        policyDocument({
          Sid: 'SchedulesOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        }),
      ),
      inlinePolicy: [
        {
          name: 'start-export',
          policy: renderPolicy(policyDocument({ Sid: 'StartTheExport', Effect: 'Allow', Action: 'states:StartExecution', Resource: machineArn })),
        },
      ],
    });
    this.stateMachineArn = machine.arn;
    this.exporterRoleArn = exporter.arn;
    this.schedulerRoleArn = scheduler.arn;
  }
}
