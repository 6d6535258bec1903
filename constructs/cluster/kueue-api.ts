/**
 * The part of Kueue's API (`kueue.x-k8s.io/v1beta1`, served by the chart pinned in
 * platform.yaml) the platform writes: ResourceFlavor, ClusterQueue and LocalQueue, with
 * only the fields used. kubernetes-models has no Kueue classes; the offline schema check
 * (tools/kubernetes-schema/kueue-models.ts) validates these objects against the
 * constraints of the upstream CRDs.
 */

export const KUEUE_API_VERSION = 'kueue.x-k8s.io/v1beta1';
export const KUEUE_GROUP = 'kueue.x-k8s.io';

export const KUEUE_KIND = {
  resourceFlavor: 'ResourceFlavor',
  clusterQueue: 'ClusterQueue',
  localQueue: 'LocalQueue',
} as const;

export interface KueueMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface KueueToleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Where a flavor's pods go: Kueue adds `nodeLabels` to their node selector and `tolerations` to their tolerations when it admits them. */
export interface ResourceFlavor {
  readonly apiVersion: typeof KUEUE_API_VERSION;
  readonly kind: 'ResourceFlavor';
  readonly metadata: KueueMetadata;
  readonly spec: {
    readonly nodeLabels?: Readonly<Record<string, string>>;
    readonly tolerations?: readonly KueueToleration[];
  };
}

export interface ResourceQuota {
  readonly name: string;
  /** A Kubernetes quantity: `16`, `512Gi`. */
  readonly nominalQuota: string;
  /** At most this much beyond nominalQuota from the cohort; absent means unlimited. Only with a cohort. */
  readonly borrowingLimit?: string;
  /** At most this much of nominalQuota lent to the cohort; absent means all of it. Only with a cohort. */
  readonly lendingLimit?: string;
}

export interface FlavorQuotas {
  readonly name: string;
  /** One per covered resource, in the order of `coveredResources`. */
  readonly resources: readonly ResourceQuota[];
}

export interface ResourceGroup {
  readonly coveredResources: readonly string[];
  readonly flavors: readonly FlavorQuotas[];
}

export type PreemptionPolicy = 'Never' | 'LowerPriority' | 'Any' | 'LowerOrNewerEqualPriority';

export interface ClusterQueuePreemption {
  /** Preempt workloads of other queues of the cohort that borrow this queue's nominal quota. */
  readonly reclaimWithinCohort: 'Never' | 'LowerPriority' | 'Any';
  /** Preempt workloads of other queues while borrowing. */
  readonly borrowWithinCohort: { readonly policy: 'Never' | 'LowerPriority' };
  /** Preempt this queue's own workloads. */
  readonly withinClusterQueue: 'Never' | 'LowerPriority' | 'LowerOrNewerEqualPriority';
}

export interface ClusterQueue {
  readonly apiVersion: typeof KUEUE_API_VERSION;
  readonly kind: 'ClusterQueue';
  readonly metadata: KueueMetadata;
  readonly spec: {
    readonly cohort?: string;
    readonly namespaceSelector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly queueingStrategy: 'StrictFIFO' | 'BestEffortFIFO';
    readonly resourceGroups: readonly ResourceGroup[];
    readonly preemption: ClusterQueuePreemption;
  };
}

export interface LocalQueue {
  readonly apiVersion: typeof KUEUE_API_VERSION;
  readonly kind: 'LocalQueue';
  readonly metadata: KueueMetadata & { readonly namespace: string };
  readonly spec: { readonly clusterQueue: string };
}
