/**
 * What a tenant has, read back from its synthesized resources: the account and budget
 * from its account stack, buckets, GPU pools (its Karpenter NodePools and node
 * classes) and quota from its own stack. The review shows these instead of raw resources,
 * and prices the GPU pools from the limits the NodePools enforce.
 */
import type { PricedPool } from '../../config/cost';
import { GPU_TAINT_KEY } from '../../config/names';
import { KARPENTER_API, KARPENTER_REQUIREMENT } from '../../constructs/cluster/karpenter-manifests';
import { POOL_LABEL } from '../../constructs/tenant/gpu-pool-manifests';
import { isRecord } from '../../kernel/records';
import type { ReviewBlock, StackBlocks } from './blocks';

export type AccountFacts =
  | { readonly kind: 'vended'; readonly email: string; readonly name?: string }
  | { readonly kind: 'adopted'; readonly id: string }
  | { readonly kind: 'unknown' };

/** A GPU pool read back from its Karpenter NodePools and node class. */
export type PoolFacts = PricedPool;

export interface QuotaFacts {
  readonly cpu?: string;
  readonly memory?: string;
  readonly gpus?: string;
  readonly pods?: string;
}

export interface TenantFacts {
  readonly name: string;
  readonly account: AccountFacts;
  readonly buckets: readonly { readonly purpose: string; readonly name: string }[];
  readonly pools: readonly PoolFacts[];
  readonly quota?: QuotaFacts;
  readonly budgetUsd?: number;
  /** False when the stack has no namespace: the tenant is retained (workloads removed, data kept). */
  readonly workloads: boolean;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
const num = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : undefined;
const lastSegment = (path: string | undefined): string | undefined => path?.split('/').pop();

const quantity = (value: unknown): number | undefined => num(typeof value === 'string' ? value.replace(/Gi$/, '') : value);

/** The manifest of a `kubernetes_manifest` block if it is the given Karpenter kind. */
function karpenterManifest(block: ReviewBlock, api: { apiVersion: string; kind: string }): Record<string, unknown> | undefined {
  const manifest = isRecord(block.config.manifest) ? block.config.manifest : undefined;
  return manifest && manifest.apiVersion === api.apiVersion && manifest.kind === api.kind ? manifest : undefined;
}

function at(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), value);
}

/** One tenant pool from its NodePools (dynamic and warm, joined by the pool label) and its node class. */
function poolsOf(nodePools: readonly Record<string, unknown>[], nodeClasses: readonly Record<string, unknown>[]): PoolFacts[] {
  const pools = new Map<string, { instanceTypes: string[]; capacity: 'spot' | 'on-demand'; warmNodes: number; gpuLimit: number; diskGi?: number }>();
  for (const manifest of nodePools) {
    const template = at(manifest, 'spec', 'template');
    const name = str(at(template, 'metadata', 'labels', POOL_LABEL)) ?? str(at(manifest, 'metadata', 'name')) ?? '?';
    const requirements = at(template, 'spec', 'requirements');
    const values = (key: string): string[] => {
      const found = Array.isArray(requirements) ? requirements.find((r) => isRecord(r) && r.key === key && r.operator === 'In') : undefined;
      return isRecord(found) && Array.isArray(found.values) ? found.values.filter((v): v is string => typeof v === 'string') : [];
    };
    const pool = pools.get(name) ?? { instanceTypes: [], capacity: 'on-demand', warmNodes: 0, gpuLimit: 0 };
    pool.instanceTypes = [...new Set([...pool.instanceTypes, ...values(KARPENTER_REQUIREMENT.instanceType)])];
    if (values(KARPENTER_REQUIREMENT.capacityType).includes('spot')) pool.capacity = 'spot';
    const replicas = num(at(manifest, 'spec', 'replicas'));
    if (replicas !== undefined) pool.warmNodes += replicas;
    else pool.gpuLimit += quantity(at(manifest, 'spec', 'limits', GPU_TAINT_KEY)) ?? 0;
    pools.set(name, pool);
  }
  for (const manifest of nodeClasses) {
    const pool = pools.get(str(at(manifest, 'metadata', 'labels', POOL_LABEL)) ?? '');
    const devices = at(manifest, 'spec', 'blockDeviceMappings');
    if (pool && Array.isArray(devices)) pool.diskGi = quantity(at(devices[0], 'ebs', 'volumeSize'));
  }
  return [...pools].map(([name, pool]) => ({ name, ...pool }));
}

function accountOf(organization: readonly ReviewBlock[]): AccountFacts {
  const account = organization.find((b) => b.kind === 'resource' && b.type === 'aws_organizations_account');
  if (account) return { kind: 'vended', email: str(account.config.email) ?? '?', name: str(account.config.name) };
  const budgets = organization.filter((b) => b.kind === 'resource' && b.type === 'aws_budgets_budget');
  const filters = budgets.flatMap((budget) => (Array.isArray(budget.config.cost_filter) ? budget.config.cost_filter : []));
  for (const filter of filters) {
    if (!isRecord(filter) || filter.name !== 'LinkedAccount' || !Array.isArray(filter.values)) continue;
    const id = filter.values.find((v): v is string => typeof v === 'string' && /^\d{12}$/.test(v));
    if (id) return { kind: 'adopted', id };
  }
  return { kind: 'unknown' };
}

/** Facts of one tenant from its tenant stack's blocks and its account stack's blocks. */
export function tenantFacts(name: string, stack: StackBlocks | undefined, organization: readonly ReviewBlock[]): TenantFacts {
  const buckets: { purpose: string; name: string }[] = [];
  const nodePools: Record<string, unknown>[] = [];
  const nodeClasses: Record<string, unknown>[] = [];
  let quota: QuotaFacts | undefined;
  let workloads = false;
  for (const block of stack?.values() ?? []) {
    if (block.kind !== 'resource') continue;
    // A vended account's bucket names end in its id, a reference until the account exists.
    if (block.type === 'aws_s3_bucket')
      buckets.push({ purpose: lastSegment(block.path) ?? block.address, name: str(block.config.bucket)?.replace(/\$\{[^}]*\}/g, '<account-id>') ?? '?' });
    else if (block.type === 'kubernetes_manifest') {
      const nodePool = karpenterManifest(block, KARPENTER_API.nodePool);
      const nodeClass = karpenterManifest(block, KARPENTER_API.nodeClass);
      if (nodePool) nodePools.push(nodePool);
      if (nodeClass) nodeClasses.push(nodeClass);
    } else if (block.type === 'kubernetes_namespace_v1') workloads = true;
    else if (block.type === 'kubernetes_resource_quota_v1') {
      const spec = isRecord(block.config.spec) ? block.config.spec : {};
      // A scoped quota (the system priority classes' zero) is not the tenant's quota.
      if (spec.scope_selector !== undefined || spec.scopes !== undefined) continue;
      const hard = isRecord(spec.hard) ? spec.hard : {};
      quota = { cpu: str(hard['requests.cpu']), memory: str(hard['requests.memory']), gpus: str(hard['requests.nvidia.com/gpu']), pods: str(hard.pods) };
    }
  }
  const budget = organization.find((b) => b.kind === 'resource' && b.type === 'aws_budgets_budget');
  return {
    name,
    account: accountOf(organization),
    buckets: buckets.sort((a, b) => (a.purpose < b.purpose ? -1 : 1)),
    pools: poolsOf(nodePools, nodeClasses).sort((a, b) => (a.name < b.name ? -1 : 1)),
    quota,
    budgetUsd: budget ? num(budget.config.limit_amount) : undefined,
    workloads,
  };
}
