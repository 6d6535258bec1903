/**
 * `tenant:describe`: what one tenant file gives a tenant, in the names the platform will
 * create, read from the validated model (not from a synth), so it answers in well under a
 * second and before any pull request.
 */
import { knownAccountId, type Platform, type Tenant } from '../../config/model';
import { metricsExportNames, pipelineRoleNames, tenantNames, type TenantNames } from '../../config/names';
import { HOURS_PER_MONTH, usd } from '../../config/cost';
import { poolLimits } from '../../config/pool-limits';
import { EMPTY_NODE_GRACE } from '../../constructs/cluster/karpenter-manifests';
import { queueText } from './queue-examples';
import { GPU_VISIBILITY_ENV, tenantGpuPlacement, TENANT_PRIORITY_CLASSES } from '../../constructs/cluster/tenant-admission';
import { TENANT_EDIT_ROLE } from '../../constructs/cluster/tenant-edit-role';
import { gpuCostCeiling, type GpuCostCeiling } from './cost';
import { EXPORT_DELAY_MINUTES, EXPORT_INTERVAL_MINUTES, EXPORTED_METRICS } from '../../constructs/shared/metrics-export-definition';

/** From tenant-budget.ts: the thresholds the owner is alerted at. */
const BUDGET_ALERTS = 'alerts the owner at 80% actual and 100% forecast spend';

export interface DescribedRow {
  /** The kind of thing: account, bucket, role, node pool, ... */
  readonly what: string;
  /** Its name as it will exist in AWS or Kubernetes. */
  readonly name: string;
  readonly details: string;
}

export interface TenantDescription {
  readonly tenant: Tenant;
  readonly platform: Platform;
  readonly names: TenantNames;
  readonly rows: readonly DescribedRow[];
  readonly ceiling: GpuCostCeiling;
  readonly warnings: readonly string[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function hourly(amount: number): string {
  return `$${amount}/h`;
}

export function quotaText(tenant: Tenant): string {
  const q = tenant.quota;
  return `quota ${plural(q.cpu, 'CPU')}, ${q.memoryGi} GiB memory, ${plural(q.gpus, 'GPU')}, ${plural(q.pods, 'pod')}`;
}

function instanceTypeText(type: string, platform: Platform): string {
  const spec = platform.gpuInstanceTypes[type];
  return spec ? `${type} (${plural(spec.gpus, 'GPU')}, ${hourly(spec.onDemandHourlyUsd)})` : `${type} (not priced in platform.yaml)`;
}

/**
 * Exactly what a GPU pod of the tenant carries to be admitted and land on its nodes; the
 * admission policies deny anything that selects or tolerates another tenant's nodes.
 */
export function gpuPodSpecText(tenant: string): string {
  const placement = tenantGpuPlacement(tenant);
  const selector = Object.entries(placement.nodeSelector)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const tolerations = placement.tolerations.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect} (${t.operator})`).join(', ');
  return `nodeSelector ${selector}; tolerations ${tolerations}; a container limit nvidia.com/gpu: <count>; priorityClassName ${TENANT_PRIORITY_CLASSES.join(' or ')} (optional); no nodeName, no ${GPU_VISIBILITY_ENV}`;
}

/** Where the tenant reads its GPU and workload metrics, and which. */
export function metricsText(names: TenantNames, platform: Platform): string {
  const window = `${EXPORT_DELAY_MINUTES} to ${EXPORT_DELAY_MINUTES + EXPORT_INTERVAL_MINUTES}`;
  return `CloudWatch in the tenant account (people role): ${EXPORTED_METRICS.map((m) => m.name).join(', ')}, 1-minute averages of namespace ${names.namespace} (dimensions ClusterName=${platform.cluster.name}, Namespace=${names.namespace}), copied from Container Insights every ${EXPORT_INTERVAL_MINUTES} minutes, ${window} minutes late; see docs/metrics.md`;
}

export function describeTenant(tenant: Tenant, platform: Platform): TenantDescription {
  const names = tenantNames(platform.name, platform.platformAccountId, tenant.name, knownAccountId(tenant));
  const active = tenant.lifecycle === 'active';
  const rows: DescribedRow[] = [];
  const row = (what: string, name: string, details: string) => rows.push({ what, name, details });

  if (tenant.account.kind === 'vended') {
    row(
      'account',
      names.accountName,
      `new member account vended by its account stack ${names.accountStack}, root e-mail ${tenant.account.email}, OU ${platform.tenantOuName}`,
    );
  } else {
    row('account', tenant.account.id, 'existing member account, adopted: its name and e-mail stay as they are');
  }
  row(
    'stack',
    names.accountStack,
    `Terraform stack in the management account: the account, its platform-controls SCP, the budgets, the Identity Center sign-in, and the platform's deployer ${pipelineRoleNames(platform.name).deployer} and planner ${names.planner} in the account (a stack instance of the StackSet ${pipelineRoleNames(platform.name).tenantRolesStackSet})`,
  );
  row(
    'stack',
    names.stack,
    `Terraform stack: the tenant account's resources, the GPU node role in the platform account ${platform.platformAccountId}, the namespace and GPU pools in ${platform.cluster.name}`,
  );
  row('key', names.keyAlias, 'KMS key in the tenant account; encrypts the buckets');
  for (const bucket of tenant.buckets) {
    row(
      'bucket',
      names.bucket(bucket.purpose),
      `${bucket.purpose}: versioned, KMS-encrypted, no public access; old versions expire after ${plural(bucket.noncurrentVersionDays, 'day')}`,
    );
  }
  if (active)
    row(
      'role',
      names.workloadRole,
      `workload role: pods in namespace ${names.namespace} with service account ${names.serviceAccount}; reads and writes the buckets`,
    );
  row('role', names.peopleRole, `people role: the team's access to its account and namespace, within the boundary ${names.peopleBoundaryPolicy}`);
  if (tenant.peopleGroupId !== undefined) {
    row(
      'sign-in',
      names.permissionSet,
      `Identity Center permission set for group ${tenant.peopleGroupId}, in this account only; may only assume ${names.peopleRole}`,
    );
  } else {
    row('sign-in', 'none', 'no people.identityCenterGroupId: nobody can sign in to the tenant yet');
  }
  if (active)
    row(
      'role',
      names.metricsWriterRole,
      `metrics writer: only the platform's metrics exporter assumes it, to put the tenant's metrics into CloudWatch namespace ${metricsExportNames(platform.name).tenantNamespace}`,
    );
  if (active && tenant.gpuPools.length > 0) row('role', names.nodeRole, `node role of the GPU pools, in the platform account ${platform.platformAccountId}`);
  if (active) row('namespace', names.namespace, `in cluster ${platform.cluster.name}; ${quotaText(tenant)}`);
  if (active)
    row('cluster group', names.kubernetesGroup, `the people role's Kubernetes group: ClusterRole ${TENANT_EDIT_ROLE} in namespace ${names.namespace} only`);
  if (active) row('queue', names.clusterQueue, queueText(tenant, platform));
  if (active) {
    const claims = tenant.buckets.map((b) => names.bucketClaim(b.purpose)).join(', ');
    row('GPU metrics', metricsExportNames(platform.name).tenantNamespace, metricsText(names, platform));
    row(
      'storage',
      names.namespace,
      `bucket claims ${claims} (mounted with the workload role: run the pod as ${names.serviceAccount}); EBS claims name storageClassName ${names.storageClass} (gp3 under the tenant's key; any other class is denied)`,
    );
  }
  if (active && tenant.gpuPools.length > 0) row('GPU pod spec', names.namespace, gpuPodSpecText(tenant.name));
  if (active) {
    for (const pool of tenant.gpuPools) {
      const types = pool.instanceTypes.map((t) => instanceTypeText(t, platform)).join(', ');
      const limits = poolLimits(pool, platform.gpuInstanceTypes);
      const warm = limits.warmNodes > 0 ? `${plural(limits.warmNodes, 'warm node')} always running (${names.warmNodePool(pool.name)})` : 'no node while idle';
      const dynamic =
        limits.dynamicNodes > 0
          ? `; Karpenter adds nodes for pending GPU pods up to ${limits.gpus} GPUs, ${limits.cpu} CPUs, ${limits.memoryGi} GiB (${plural(limits.dynamicNodes, 'node')} of the largest type) and removes empty ones after ${EMPTY_NODE_GRACE}`
          : '';
      row('GPU pool', names.nodePool(pool.name), `${types}; ${pool.capacity}; ${warm}${dynamic}; ${pool.diskGi} GiB disk; only this tenant's pods`);
    }
  } else {
    row('lifecycle', 'retained', 'workloads removed: no namespace, workload role or node pools; the account, key and buckets are kept');
  }
  row(
    'budget',
    names.budget,
    `${usd(tenant.monthlyBudgetUsd)} per month on everything tagged tenant=${tenant.name} in every account, its GPU nodes in the platform account included; ${BUDGET_ALERTS} (${tenant.owner})`,
  );
  row('budget', names.accountBudget, `${usd(tenant.monthlyBudgetUsd)} per month on the tenant account's whole spend, tagged or not; same alerts`);

  const ceiling = gpuCostCeiling(active ? tenant.gpuPools : [], platform.gpuInstanceTypes);
  if (ceiling.perPool.length > 0) {
    const terms = ceiling.perPool
      .map((p) => {
        const warm = p.pool.warmNodes > 0 ? [`${plural(p.pool.warmNodes, 'warm node')} × ${hourly(p.warmHourlyUsd)}`] : [];
        const mix = Object.entries(p.mix).map(([type, n]) => `${n} × ${type} (${hourly(platform.gpuInstanceTypes[type]?.onDemandHourlyUsd ?? 0)})`);
        return `${p.pool.name}: ${[...warm, ...mix].join(' + ') || 'nothing priced'} × ${HOURS_PER_MONTH} h`;
      })
      .join('; ');
    const spot = tenant.gpuPools.some((p) => p.capacity === 'spot') ? '; spot capacity usually costs much less' : '';
    row('GPU ceiling', `${usd(ceiling.monthlyUsd)} per month`, `${terms}; at on-demand prices${spot}`);
  } else {
    row('GPU ceiling', '$0 per month', active ? 'no GPU pools: CPU work runs on the shared general-purpose nodes' : 'no GPU pools while retained');
  }

  const warnings: string[] = [];
  if (ceiling.monthlyUsd > tenant.monthlyBudgetUsd) {
    warnings.push(
      `warning: the GPU cost ceiling ${usd(ceiling.monthlyUsd)} per month is above the budget ${usd(tenant.monthlyBudgetUsd)}; the plan review will flag it: raise budget.monthlyUsd, or lower maxNodes or the pool's largest instance type`,
    );
  }
  return { tenant, platform, names, rows, ceiling, warnings };
}

/** Columns padded to their widest cell; the last column is not padded. */
export function alignColumns(table: readonly (readonly string[])[], gap = '  '): string[] {
  const widths = table[0].map((_, col) => Math.max(...table.map((r) => r[col].length)));
  return table.map((r) =>
    r
      .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col])))
      .join(gap)
      .trimEnd(),
  );
}

export function renderTable(d: TenantDescription): string {
  const t = d.tenant;
  const heading = `Tenant ${t.name} · owner ${t.owner} · cost center ${t.costCenter} · ${t.lifecycle}`;
  const lines = alignColumns([['WHAT', 'NAME', 'DETAILS'], ...d.rows.map((r) => [r.what, r.name, r.details])]);
  return [heading, '', ...lines, ...(d.warnings.length > 0 ? ['', ...d.warnings] : [])].join('\n');
}

/** The one-line result: what the tenant gets and whether the ceiling fits the budget. */
export function summaryLine(d: TenantDescription): string {
  const t = d.tenant;
  const pools = t.lifecycle === 'active' ? t.gpuPools.length : 0;
  const fit = d.ceiling.monthlyUsd > t.monthlyBudgetUsd ? 'above' : 'within';
  return `${t.name}: ${plural(t.buckets.length, 'bucket')}, ${plural(pools, 'GPU pool')}, GPU ceiling ${usd(d.ceiling.monthlyUsd)} per month ${fit} the budget ${usd(t.monthlyBudgetUsd)}`;
}
