import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';
import { Construct } from 'constructs';

/**
 * Priority classes tenants use: online inference preempts training, and training preempts
 * pods that name neither. Values stay far below system-cluster-critical (2,000,000,000).
 */
export const WORKLOAD_PRIORITY_CLASSES = {
  'ml-inference': { value: 100000, description: 'Online inference: latency-bound, preempts training.' },
  'ml-training': { value: 10000, description: 'Training and batch jobs: may be preempted by inference.' },
} as const;

export class WorkloadPriorityClasses extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const [name, spec] of Object.entries(WORKLOAD_PRIORITY_CLASSES)) {
      new PriorityClassV1(this, name, {
        metadata: { name },
        value: spec.value,
        description: spec.description,
        globalDefault: false,
        preemptionPolicy: 'PreemptLowerPriority',
      });
    }
  }
}
