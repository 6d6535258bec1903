import { KUEUE_API_VERSION, KUEUE_KIND } from '../../constructs/cluster/kueue-api';
import { NO_LENDING } from '../../constructs/tenant/tenant-queue-manifests';
import { POOL_NAME_SEPARATOR, SHARED_GPU_POOL, TENANT_LABEL } from '../../config/names';
import { asRecord, nestedBlocks, type Block, type StackView, type Verdict, type Violation } from '../rule';

/** The Kueue manifest of a given kind in a `kubernetes_manifest` block, or undefined. */
export function kueueManifest(block: Block, kind: string): Readonly<Record<string, unknown>> | undefined {
  if (block.kind !== 'resource' || block.type !== 'kubernetes_manifest') return undefined;
  const manifest = asRecord(block.config.manifest);
  return manifest?.apiVersion === KUEUE_API_VERSION && manifest.kind === kind ? manifest : undefined;
}

/** The hard limits of the tenant's namespace ResourceQuota in the same stack (the one that limits CPU). */
function namespaceQuota(stack: StackView): Readonly<Record<string, unknown>> | undefined {
  for (const block of stack.blocks) {
    if (block.type !== 'kubernetes_resource_quota_v1') continue;
    const hard = asRecord(nestedBlocks(block.config.spec)[0]?.hard);
    if (hard?.['requests.cpu'] !== undefined) return hard;
  }
  return undefined;
}

/** Quantities the platform writes: integers, or integers with Gi. */
const amount = (value: unknown): number | undefined => {
  const match = /^(\d+)(Gi)?$/.exec(String(value));
  return match ? Number(match[1]) : undefined;
};

/**
 * A tenant stack's ClusterQueue is the tenant's own: named after it, open to its namespace
 * only, listing only its own flavors (`<tenant>` and `<tenant>.<pool>`), lending nothing to
 * the cohort (the platform's shared GPU flavor aside), with CPU and memory quotas equal to the namespace ResourceQuota (the tenant
 * file's) and GPU quotas that add up to no more than it.
 */
export function kueueTenantQueue(block: Block, stack: StackView): Verdict {
  const manifest = stack.tenant === undefined ? undefined : kueueManifest(block, KUEUE_KIND.clusterQueue);
  if (manifest === undefined || stack.tenant === undefined) return undefined;
  const tenant = stack.tenant;
  const spec = asRecord(manifest.spec) ?? {};
  const violations: Violation[] = [];
  const name = asRecord(manifest.metadata)?.name;
  if (name !== tenant)
    violations.push({ problem: `the ClusterQueue is named '${String(name)}', not after the tenant`, fix: `name it '${tenant}' (tenantNames().clusterQueue)` });
  const selector = asRecord(spec.namespaceSelector);
  const labels = asRecord(selector?.matchLabels);
  if (!selector || selector.matchExpressions !== undefined || labels === undefined || Object.keys(labels).length !== 1 || labels[TENANT_LABEL] !== tenant) {
    violations.push({
      problem: `the ClusterQueue's namespaceSelector does not select exactly the namespaces labelled ${TENANT_LABEL}=${tenant}, so other tenants' jobs could spend its quota`,
      fix: `set namespaceSelector to { matchLabels: { ${TENANT_LABEL}: '${tenant}' } } (TenantQueues does)`,
    });
  }
  const totals = new Map<string, number>();
  for (const group of nestedBlocks(spec.resourceGroups)) {
    for (const flavor of nestedBlocks(group.flavors)) {
      const flavorName = String(flavor.name);
      // The platform's shared GPU flavor is the one meant to be in every queue, and lent.
      const shared = flavorName === SHARED_GPU_POOL.flavor;
      if (!shared && flavorName !== tenant && !flavorName.startsWith(`${tenant}${POOL_NAME_SEPARATOR}`)) {
        violations.push({
          problem: `the ClusterQueue lists flavor '${flavorName}', which is not one of the tenant's, so its jobs could be placed on another tenant's nodes`,
          fix: `list only the flavors '${tenant}' and '${tenant}${POOL_NAME_SEPARATOR}<pool>'`,
        });
      }
      for (const resource of nestedBlocks(flavor.resources)) {
        if (!shared && String(resource.lendingLimit) !== NO_LENDING) {
          violations.push({
            problem: `flavor '${flavorName}' lends its ${String(resource.name)} quota to the cohort, so another tenant's queue could borrow it and be preempted to give it back`,
            fix: `set lendingLimit: '${NO_LENDING}'`,
          });
        }
        const key = String(resource.name);
        totals.set(key, (totals.get(key) ?? 0) + (amount(resource.nominalQuota) ?? Number.NaN));
      }
    }
  }
  const hard = namespaceQuota(stack);
  if (!hard) {
    violations.push({
      problem: 'the tenant stack has no namespace ResourceQuota to compare the queue quotas with',
      fix: 'create the ClusterQueue with the tenant namespace (TenantQueues in the tenant stack)',
    });
    return violations;
  }
  for (const resource of ['cpu', 'memory']) {
    if (totals.get(resource) !== amount(hard[`requests.${resource}`])) {
      violations.push({
        problem: `the queue's ${resource} quota (${totals.get(resource) ?? 'none'}) differs from the namespace quota (${String(hard[`requests.${resource}`])}), the tenant file's`,
        fix: 'derive both from the tenant file (config/queue-quotas.ts)',
      });
    }
  }
  const gpus = totals.get('nvidia.com/gpu') ?? 0;
  const gpuQuota = amount(hard['requests.nvidia.com/gpu']) ?? 0;
  if (!(gpus <= gpuQuota)) {
    violations.push({
      problem: `the queue's GPU quotas add up to ${gpus}, more than the namespace quota (${gpuQuota}): jobs it admits would be rejected by the ResourceQuota`,
      fix: 'derive the pool GPU quotas with queueQuotas() (config/queue-quotas.ts)',
    });
  }
  return violations;
}
