/**
 * A small model of the two Karpenter decisions the GPU pools rely on, to test their effect
 * on the synthesized NodePools rather than their presence:
 * - which NodePools may launch a node for a pending pod: the pod tolerates every taint of
 *   the pool's template and its node selector matches the template's labels;
 * - how far a pool scales: Karpenter launches a node only if the node's capacity fits in
 *   what the pool's `limits` leave (karpenter.sh docs, NodePools, spec.limits).
 * It leaves out what the tests do not need (affinity, topology, bin-packing across pods).
 */
import type { GpuInstanceType } from '../../config/model';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect?: string;
}

export interface PendingPod {
  readonly tolerations: readonly Toleration[];
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly gpus: number;
}

type NodePool = Record<string, any>;

function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === taint.effect) &&
      (t.operator === 'Exists' ? t.key === undefined || t.key === taint.key : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
  );
}

/** Whether Karpenter may launch a node of this pool for the pod. */
export function poolAccepts(nodePool: NodePool, pod: PendingPod): boolean {
  const template = nodePool.spec.template;
  const taints: Taint[] = template.spec.taints ?? [];
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  for (const r of template.spec.requirements ?? []) if (r.operator === 'In' && r.values.length === 1) labels[r.key] = r.values[0];
  const blocking = taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  return blocking.every((t) => tolerates(pod.tolerations, t)) && Object.entries(pod.nodeSelector).every(([k, v]) => labels[k] === v);
}

const quantity = (value: unknown): number => Number(String(value ?? '').replace(/Gi$/, ''));

/**
 * The nodes a dynamic pool launches for `pods` pending pods each asking for `gpusPerPod`, when
 * Karpenter always picks the given type (the worst case for the limit is the smallest type):
 * one pod per node's worth of GPUs, and no node whose capacity would pass a limit.
 */
export function nodesLaunched(nodePool: NodePool, type: GpuInstanceType, pods: number, gpusPerPod: number): number {
  const limits = nodePool.spec.limits ?? {};
  const cap = { gpus: quantity(limits['nvidia.com/gpu']), cpu: quantity(limits.cpu), memoryGi: quantity(limits.memory) };
  const podsPerNode = Math.max(1, Math.floor(type.gpus / gpusPerPod));
  let used = { gpus: 0, cpu: 0, memoryGi: 0 };
  let nodes = 0;
  for (let waiting = pods; waiting > 0; waiting -= podsPerNode) {
    const next = { gpus: used.gpus + type.gpus, cpu: used.cpu + type.vcpus, memoryGi: used.memoryGi + type.memoryGi };
    if (next.gpus > cap.gpus || next.cpu > cap.cpu || next.memoryGi > cap.memoryGi) break;
    used = next;
    nodes += 1;
  }
  return nodes;
}
