import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { Construct } from 'constructs';
import { EXPORT_INTERVAL_MINUTES, type ExportInput } from '../shared/metrics-export-definition';

/**
 * How late a run may start after its slot: spread over a few minutes so that 1,000 tenants'
 * runs do not call CloudWatch in the same second, and with the retry age shorter than the
 * interval, so a run never reads the next slot's window (see windowExpressions).
 */
export const SCHEDULE_FLEXIBLE_WINDOW_MINUTES = 4;
export const SCHEDULE_MAX_EVENT_AGE_SECONDS = 300;

export interface TenantMetricsScheduleProps {
  readonly scheduleName: string;
  /** The platform's export state machine and the role Scheduler starts it with (platform account). */
  readonly stateMachineArn: string;
  readonly schedulerRoleArn: string;
  /** The tenant's namespace, and its writer role in its own account. */
  readonly input: ExportInput;
}

/**
 * In the platform account: the tenant's schedule of the metrics export, every
 * EXPORT_INTERVAL_MINUTES minutes, with a fixed input that names the tenant's namespace and
 * its writer role (guardrail MLP-MET-1 checks the pair).
 */
export class TenantMetricsSchedule extends Construct {
  constructor(scope: Construct, id: string, props: TenantMetricsScheduleProps) {
    super(scope, id);
    if (SCHEDULE_FLEXIBLE_WINDOW_MINUTES + SCHEDULE_MAX_EVENT_AGE_SECONDS / 60 >= EXPORT_INTERVAL_MINUTES)
      throw new Error('TenantMetricsSchedule: the flexible window and the retry age must end before the next slot');
    new SchedulerSchedule(this, 'schedule', {
      name: props.scheduleName,
      description: `Copies the Container Insights metrics of namespace ${props.input.namespace} into its tenant's account`,
      scheduleExpression: `cron(0/${EXPORT_INTERVAL_MINUTES} * * * ? *)`,
      flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: SCHEDULE_FLEXIBLE_WINDOW_MINUTES },
      target: {
        arn: props.stateMachineArn,
        roleArn: props.schedulerRoleArn,
        input: JSON.stringify({ namespace: props.input.namespace, writerRoleArn: props.input.writerRoleArn } satisfies ExportInput),
        retryPolicy: { maximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE_SECONDS, maximumRetryAttempts: 3 },
      },
    });
  }
}
