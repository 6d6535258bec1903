import { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { SYSTEM_NODE_TAINT } from '../../config/names';

/** Where the chart comes from: AWS's public OCI registry. */
export const KARPENTER_CHART_REPOSITORY = 'oci://public.ecr.aws/karpenter';

export interface KarpenterReleaseProps {
  /** Pinned in platform.yaml (`karpenter.chartVersion`); the CRD chart follows it. */
  readonly chartVersion: string;
  readonly clusterName: string;
  readonly interruptionQueueName: string;
  readonly namespace: string;
  /** Must match the Pod Identity association of the controller role. */
  readonly serviceAccount: string;
  readonly releaseName: string;
  /** Node label of the system nodes, where the controller runs. */
  readonly systemNodeSelector: Readonly<Record<string, string>>;
  /** @default 2 */
  readonly replicas?: number;
}

/** The chart values, a function of the props alone, so tests read them without a synth. */
export function karpenterValues(props: KarpenterReleaseProps): Record<string, unknown> {
  return {
    replicas: props.replicas ?? 2,
    serviceAccount: { create: true, name: props.serviceAccount },
    // On the system nodes, which a managed node group keeps: Karpenter must not run on nodes it manages.
    nodeSelector: { ...props.systemNodeSelector },
    tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: 'Equal', value: SYSTEM_NODE_TAINT.value, effect: SYSTEM_NODE_TAINT.effect }],
    settings: {
      clusterName: props.clusterName,
      interruptionQueue: props.interruptionQueueName,
      // Warm GPU nodes (minNodes) are static NodePools: alpha in Karpenter 1.8, off by default.
      featureGates: { staticCapacity: true },
    },
  };
}

/**
 * Karpenter, installed by Helm: the CRDs from their own chart (Helm installs a chart's
 * `crds/` only once and never upgrades them), then the controller at the same version.
 */
export class KarpenterRelease extends Construct {
  constructor(scope: Construct, id: string, props: KarpenterReleaseProps) {
    super(scope, id);
    const crds = new Release(this, 'crds', {
      name: `${props.releaseName}-crd`,
      namespace: props.namespace,
      createNamespace: true,
      repository: KARPENTER_CHART_REPOSITORY,
      chart: 'karpenter-crd',
      version: props.chartVersion,
    });
    new Release(this, 'controller', {
      name: props.releaseName,
      namespace: props.namespace,
      createNamespace: true,
      repository: KARPENTER_CHART_REPOSITORY,
      chart: 'karpenter',
      version: props.chartVersion,
      skipCrds: true,
      wait: true,
      values: [JSON.stringify(karpenterValues(props))],
      dependsOn: [crds],
    });
  }
}
