import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';
import { Construct } from 'constructs';

/**
 * Priority classes tenants use: a pending inference pod is scheduled before a pending
 * training pod, and both before pods that name neither. Neither class preempts: tenants
 * share the general nodes, and a preempting class would let one tenant's pod evict another
 * tenant's running pods (the node provisioner adds capacity for pending pods instead).
 * Values stay far below system-cluster-critical (2,000,000,000).
 */
export const WORKLOAD_PRIORITY_CLASSES = {
  'ml-inference': { value: 100000, description: 'Online inference: scheduled before training; never evicts running pods.' },
  'ml-training': { value: 10000, description: 'Training and batch jobs: scheduled after inference; never evicts running pods.' },
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
        preemptionPolicy: 'Never',
      });
    }
  }
}
