import { KUEUE_KIND } from '../../constructs/cluster/kueue-api';
import { asRecord, nestedBlocks, type Block, type StackView, type Verdict } from '../rule';
import { kueueManifest } from './kueue-tenant-queue';

/**
 * A tenant stack with a namespace has exactly one ClusterQueue and one LocalQueue: its jobs
 * have one place to queue, and no stack adds queues that split or duplicate its quota.
 */
export function kueueTenantHasQueue(block: Block, stack: StackView): Verdict {
  if (stack.tenant === undefined || block.type !== 'kubernetes_namespace_v1') return undefined;
  const count = (kind: string) => stack.blocks.filter((b) => kueueManifest(b, kind) !== undefined).length;
  const namespace = String(asRecord(nestedBlocks(block.config.metadata)[0])?.name);
  const queues = count(KUEUE_KIND.clusterQueue);
  const local = count(KUEUE_KIND.localQueue);
  if (queues === 1 && local === 1) return [];
  return [
    {
      problem: `namespace ${namespace} comes with ${queues} ClusterQueues and ${local} LocalQueues, not one of each: its jobs cannot be queued, or its quota is split`,
      fix: "create the tenant's queues once, with TenantQueues in the tenant stack",
    },
  ];
}
