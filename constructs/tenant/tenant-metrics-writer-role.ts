import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Construct } from 'constructs';
import { policyDocument, renderPolicy } from '../common/policy';

/** The one action the writer role has. */
export const METRICS_WRITE_ACTION = 'cloudwatch:PutMetricData';

export interface TenantMetricsWriterRoleProps {
  readonly roleName: string;
  /** The platform's metrics exporter role (exact ARN): the only principal trusted. */
  readonly exporterRoleArn: string;
  /** The one CloudWatch namespace the role may write (`metricsExportNames().tenantNamespace`). */
  readonly cloudwatchNamespace: string;
}

/**
 * In the tenant's account: the role through which the platform's metrics exporter writes
 * the tenant's own Container Insights metrics there (docs/metrics.md). Trusted by the
 * exporter's role only (exact ARN); it may only put metric data, into one CloudWatch
 * namespace, and read nothing.
 */
export class TenantMetricsWriterRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: TenantMetricsWriterRoleProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!/^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/.test(props.exporterRoleArn))
      problems.push(`exporterRoleArn '${props.exporterRoleArn}' is not one exact role ARN`);
    if (props.cloudwatchNamespace === '' || props.cloudwatchNamespace.startsWith('AWS/'))
      problems.push(`cloudwatchNamespace '${props.cloudwatchNamespace}' must be a custom namespace (not empty, not AWS/...)`);
    if (problems.length > 0) throw new Error(`TenantMetricsWriterRole ${props.roleName}: ${problems.join('; ')}`);
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: "The platform's metrics exporter writes this tenant's Container Insights metrics here",
      maxSessionDuration: 3600,
      assumeRolePolicy: renderPolicy(
        policyDocument({ Sid: 'PlatformMetricsExporterOnly', Effect: 'Allow', Principal: { AWS: props.exporterRoleArn }, Action: 'sts:AssumeRole' }),
      ),
      inlinePolicy: [
        {
          name: 'write-metrics',
          policy: renderPolicy(
            policyDocument({
              Sid: 'PutOneNamespace',
              Effect: 'Allow',
              Action: METRICS_WRITE_ACTION,
              Resource: '*',
              Condition: { StringEquals: { 'cloudwatch:namespace': props.cloudwatchNamespace } },
            }),
          ),
        },
      ],
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}
