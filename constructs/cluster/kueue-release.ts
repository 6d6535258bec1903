import { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { SYSTEM_NODE_TAINT } from '../../config/names';

/** Where the chart comes from: the Kubernetes project's OCI registry. */
export const KUEUE_CHART_REPOSITORY = 'oci://registry.k8s.io/kueue/charts';

export interface KueueReleaseProps {
  /** Pinned in platform.yaml (`kueue.chartVersion`); the chart carries its CRDs and image at that version. */
  readonly chartVersion: string;
  readonly namespace: string;
  readonly releaseName: string;
  /** Node label of the system nodes, where the controller runs. */
  readonly systemNodeSelector: Readonly<Record<string, string>>;
  /** @default 2 */
  readonly replicas?: number;
}

/** The chart values, a function of the props alone, so tests read them without a synth. */
export function kueueValues(props: KueueReleaseProps): Record<string, unknown> {
  return {
    controllerManager: {
      replicas: props.replicas ?? 2,
      // Beside the other platform controllers on the system nodes, never on tenant nodes.
      nodeSelector: { ...props.systemNodeSelector },
      tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: 'Equal', value: SYSTEM_NODE_TAINT.value, effect: SYSTEM_NODE_TAINT.effect }],
    },
  };
}

/**
 * Kueue, installed by Helm into its own platform namespace: the admission of batch jobs
 * against the tenants' ClusterQueues. The queues themselves are objects of each tenant
 * stack (constructs/tenant/tenant-queues.ts), applied after this one.
 */
export class KueueRelease extends Construct {
  constructor(scope: Construct, id: string, props: KueueReleaseProps) {
    super(scope, id);
    new Release(this, 'controller', {
      name: props.releaseName,
      namespace: props.namespace,
      createNamespace: true,
      repository: KUEUE_CHART_REPOSITORY,
      chart: 'kueue',
      version: props.chartVersion,
      wait: true,
      values: [JSON.stringify(kueueValues(props))],
    });
  }
}
