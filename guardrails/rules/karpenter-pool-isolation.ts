import { TENANT_LABEL } from '../../config/names';
import { KARPENTER_API } from '../../constructs/cluster/karpenter-manifests';
import { asRecord, nestedBlocks, type Block, type StackView, type Verdict, type Violation } from '../rule';

/** Effects that keep other tenants' pods off a node (NoExecute also evicts them). */
const ISOLATING_EFFECTS = new Set(['NoSchedule', 'NoExecute']);

/** The NodePool manifest of a `kubernetes_manifest` block, or undefined for anything else. */
export function nodePoolManifest(block: Block): Readonly<Record<string, unknown>> | undefined {
  if (block.kind !== 'resource' || block.type !== 'kubernetes_manifest') return undefined;
  const manifest = asRecord(block.config.manifest);
  return manifest?.apiVersion === KARPENTER_API.nodePool.apiVersion && manifest.kind === KARPENTER_API.nodePool.kind ? manifest : undefined;
}

/** A tenant stack's Karpenter NodePools give their nodes the `tenant=<name>` taint and label, so only that tenant's pods run there. */
export function karpenterPoolIsolated(block: Block, stack: StackView): Verdict {
  const manifest = stack.tenant === undefined ? undefined : nodePoolManifest(block);
  if (manifest === undefined || stack.tenant === undefined) return undefined;
  const tenant = stack.tenant;
  const template = asRecord(asRecord(manifest.spec)?.template);
  const violations: Violation[] = [];
  const taints = nestedBlocks(asRecord(template?.spec)?.taints);
  if (!taints.some((taint) => taint.key === TENANT_LABEL && taint.value === tenant && ISOLATING_EFFECTS.has(String(taint.effect)))) {
    violations.push({
      problem: `the NodePool's nodes lack the taint ${TENANT_LABEL}=${tenant}:NoSchedule, so other tenants' pods can be scheduled on them`,
      fix: `add { key: '${TENANT_LABEL}', value: '${tenant}', effect: 'NoSchedule' } to spec.template.spec.taints (KarpenterGpuPool does)`,
    });
  }
  if (asRecord(asRecord(template?.metadata)?.labels)?.[TENANT_LABEL] !== tenant) {
    violations.push({
      problem: `the NodePool's nodes lack the label ${TENANT_LABEL}=${tenant}, so the tenant's pods cannot select them and the admission policies cannot tell whose they are`,
      fix: `add ${TENANT_LABEL}: '${tenant}' to spec.template.metadata.labels (KarpenterGpuPool does)`,
    });
  }
  return violations;
}
