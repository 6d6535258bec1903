/**
 * What a tenant has, read back from its synthesized resources: the account and budget
 * from the organization stack, buckets, GPU pools and quota from its own stack. The
 * review shows these instead of raw resources, and prices the GPU pools.
 */
import type { PricedPool } from '../../config/cost';
import type { ReviewBlock, StackBlocks } from './blocks';
import { isRecord } from '../../kernel/records';

export type AccountFacts =
  | { readonly kind: 'vended'; readonly email: string; readonly name?: string }
  | { readonly kind: 'adopted'; readonly id: string }
  | { readonly kind: 'unknown' };

/** A GPU pool read back from its node group. */
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
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : undefined);
const lastSegment = (path: string | undefined): string | undefined => path?.split('/').pop();

function poolOf(block: ReviewBlock): PoolFacts {
  const c = block.config;
  const scaling = isRecord(c.scaling_config) ? c.scaling_config : {};
  const labels = isRecord(c.labels) ? c.labels : {};
  const fromPath = block.path?.split('/').find((s) => s.startsWith('gpu-pool-'))?.slice('gpu-pool-'.length);
  return {
    name: str(labels['ml-platform/pool']) ?? fromPath ?? str(c.node_group_name) ?? block.address,
    instanceTypes: Array.isArray(c.instance_types) ? c.instance_types.filter((t): t is string => typeof t === 'string') : [],
    capacity: c.capacity_type === 'SPOT' ? 'spot' : 'on-demand',
    minNodes: num(scaling.min_size) ?? 0,
    maxNodes: num(scaling.max_size) ?? 0,
    diskGi: num(c.disk_size),
  };
}

function accountOf(organization: readonly ReviewBlock[]): AccountFacts {
  const account = organization.find((b) => b.kind === 'resource' && b.type === 'aws_organizations_account');
  if (account) return { kind: 'vended', email: str(account.config.email) ?? '?', name: str(account.config.name) };
  const budget = organization.find((b) => b.kind === 'resource' && b.type === 'aws_budgets_budget');
  const filters = budget && Array.isArray(budget.config.cost_filter) ? budget.config.cost_filter : [];
  for (const filter of filters) {
    if (!isRecord(filter) || filter.name !== 'LinkedAccount' || !Array.isArray(filter.values)) continue;
    const id = filter.values.find((v): v is string => typeof v === 'string' && /^\d{12}$/.test(v));
    if (id) return { kind: 'adopted', id };
  }
  return { kind: 'unknown' };
}

/** Facts of one tenant from its stack's blocks and its blocks in the organization stack. */
export function tenantFacts(name: string, stack: StackBlocks | undefined, organization: readonly ReviewBlock[]): TenantFacts {
  const buckets: { purpose: string; name: string }[] = [];
  const pools: PoolFacts[] = [];
  let quota: QuotaFacts | undefined;
  let workloads = false;
  for (const block of stack?.values() ?? []) {
    if (block.kind !== 'resource') continue;
    if (block.type === 'aws_s3_bucket') buckets.push({ purpose: lastSegment(block.path) ?? block.address, name: str(block.config.bucket) ?? '?' });
    else if (block.type === 'aws_eks_node_group') pools.push(poolOf(block));
    else if (block.type === 'kubernetes_namespace_v1') workloads = true;
    else if (block.type === 'kubernetes_resource_quota_v1') {
      const spec = isRecord(block.config.spec) ? block.config.spec : {};
      const hard = isRecord(spec.hard) ? spec.hard : {};
      quota = { cpu: str(hard['requests.cpu']), memory: str(hard['requests.memory']), gpus: str(hard['requests.nvidia.com/gpu']), pods: str(hard.pods) };
    }
  }
  const budget = organization.find((b) => b.kind === 'resource' && b.type === 'aws_budgets_budget');
  return {
    name,
    account: accountOf(organization),
    buckets: buckets.sort((a, b) => (a.purpose < b.purpose ? -1 : 1)),
    pools: pools.sort((a, b) => (a.name < b.name ? -1 : 1)),
    quota,
    budgetUsd: budget ? num(budget.config.limit_amount) : undefined,
    workloads,
  };
}
