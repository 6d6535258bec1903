import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { POD_IDENTITY_PRINCIPAL, POD_IDENTITY_TRUST_ACTIONS, ServiceRole } from '../common/service-role';

export const CLOUDWATCH_OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';
/** The agent's service account (namespace amazon-cloudwatch), which the add-on creates. */
export const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = 'cloudwatch-agent';
export const CLOUDWATCH_AGENT_MANAGED_POLICY = 'CloudWatchAgentServerPolicy';
/**
 * Metrics only: Container Insights (with the NVIDIA DCGM exporter the add-on runs on GPU
 * nodes); container logs (Fluent Bit) stay off, since tenant logs would land in the platform
 * account, readable by whoever reads its log groups.
 */
export const CLOUDWATCH_OBSERVABILITY_CONFIGURATION = { containerLogs: { enabled: false } } as const;

export interface CloudwatchObservabilityProps {
  readonly clusterName: string;
  /** Pinned in platform.yaml (`cluster.addonVersions.amazon-cloudwatch-observability`); Pod Identity needs 3.1.0 or later. */
  readonly addonVersion: string;
  readonly roleName: string;
  readonly podIdentityAgent: ITerraformDependable;
}

/**
 * GPU and workload metrics of the shared cluster: the Amazon CloudWatch Observability add-on
 * (CloudWatch agent and DCGM exporter), its permissions through EKS Pod Identity, so no node
 * role carries CloudWatch rights. See docs/metrics.md for what the platform team and the
 * tenants see.
 */
export class CloudwatchObservability extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: CloudwatchObservabilityProps) {
    super(scope, id);
    const role = new ServiceRole(this, 'role', {
      roleName: props.roleName,
      service: POD_IDENTITY_PRINCIPAL,
      trustActions: POD_IDENTITY_TRUST_ACTIONS,
      managedPolicies: [CLOUDWATCH_AGENT_MANAGED_POLICY],
      description: 'CloudWatch agent (Container Insights) through EKS Pod Identity',
    });
    this.roleArn = role.roleArn;
    new EksAddon(this, 'addon', {
      clusterName: props.clusterName,
      addonName: CLOUDWATCH_OBSERVABILITY_ADDON,
      addonVersion: props.addonVersion,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      configurationValues: JSON.stringify(CLOUDWATCH_OBSERVABILITY_CONFIGURATION),
      podIdentityAssociation: [{ roleArn: role.roleArn, serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT }],
      dependsOn: [props.podIdentityAgent, ...role.attachments],
    });
  }
}
