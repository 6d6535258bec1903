import { TENANT_LABEL } from '../../config/names';
import { asRecord, nestedBlocks, type Block, type StackView, type Verdict, type Violation } from '../rule';

/** Effects that keep other tenants' pods off a node (NoExecute also evicts them). */
const ISOLATING_EFFECTS = new Set(['NO_SCHEDULE', 'NO_EXECUTE']);

/** A tenant stack's node groups carry the `tenant=<name>` taint and label, so only that tenant's pods run there. */
export function gpuNodeGroupIsolated(block: Block, stack: StackView): Verdict {
  if (stack.tenant === undefined || block.kind !== 'resource' || block.type !== 'aws_eks_node_group') return undefined;
  const tenant = stack.tenant;
  const violations: Violation[] = [];
  const taints = nestedBlocks(block.config.taint);
  if (!taints.some((taint) => taint.key === TENANT_LABEL && taint.value === tenant && ISOLATING_EFFECTS.has(String(taint.effect)))) {
    violations.push({
      problem: `the node group lacks the taint ${TENANT_LABEL}=${tenant}:NoSchedule, so other tenants' pods can be scheduled on it`,
      fix: `add the taint { key: '${TENANT_LABEL}', value: '${tenant}', effect: 'NO_SCHEDULE' } (GpuNodePool does)`,
    });
  }
  if (asRecord(block.config.labels)?.[TENANT_LABEL] !== tenant) {
    violations.push({
      problem: `the node group lacks the label ${TENANT_LABEL}=${tenant}, so the tenant's pods cannot select it`,
      fix: `add the label ${TENANT_LABEL}: '${tenant}' (GpuNodePool does)`,
    });
  }
  return violations;
}
