/**
 * Rules beyond the shape of one file: cross-field checks, the platform's allow-lists and
 * caps, derived name limits, and uniqueness across files. Each returns issues by field
 * path; the loader turns paths into lines.
 */
import type { FieldPath } from './issues';
import { derivedNames, NAME_LIMITS, tenantNameReservation, tenantNames, UNKNOWN_ACCOUNT_ID } from './names';
import type { PlatformFile, TenantFile } from './schema';

export interface RuleIssue {
  readonly path: FieldPath;
  readonly message: string;
  /** Point at the key rather than the value (for keys that are wrong in themselves). */
  readonly atKey?: boolean;
}

/** Rules that need only the tenant file itself. */
export function tenantFileRules(tenant: TenantFile, fileBaseName: string): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (tenant.name !== fileBaseName) {
    issues.push({
      path: ['name'],
      message: `must equal the file name '${fileBaseName}', got '${tenant.name}': rename the file to ${tenant.name}.yaml or set name: ${fileBaseName}`,
    });
  }
  const reserved = tenantNameReservation(tenant.name);
  if (reserved !== undefined) {
    issues.push({ path: ['name'], message: `${reserved}; the name is the tenant's namespace, so choose another name (see docs/tenant-authors.md)` });
  }
  const { email, id } = tenant.account;
  if (email === undefined && id === undefined) {
    issues.push({ path: ['account'], message: 'give either email (to vend a new account) or id (to adopt an existing account)' });
  } else if (email !== undefined && id !== undefined) {
    issues.push({ path: ['account', 'id'], message: 'give either email or id, not both: email vends a new account, id adopts an existing one' });
  }
  issues.push(...duplicateNames(tenant.buckets ?? [], 'buckets', 'bucket'));
  issues.push(...duplicateNames(tenant.gpuPools ?? [], 'gpuPools', 'GPU pool'));
  (tenant.gpuPools ?? []).forEach((pool, i) => {
    if (pool.maxNodes < pool.minNodes) {
      issues.push({ path: ['gpuPools', i, 'maxNodes'], message: `must be at least minNodes (${pool.minNodes}), got ${pool.maxNodes}` });
    }
    const seen = new Set<string>();
    pool.instanceTypes.forEach((type, j) => {
      if (seen.has(type)) issues.push({ path: ['gpuPools', i, 'instanceTypes', j], message: `'${type}' is listed twice` });
      seen.add(type);
    });
  });
  return issues;
}

function duplicateNames(items: readonly { name: string }[], field: string, what: string): RuleIssue[] {
  const first = new Map<string, number>();
  const issues: RuleIssue[] = [];
  items.forEach((item, i) => {
    const earlier = first.get(item.name);
    if (earlier !== undefined) {
      issues.push({ path: [field, i, 'name'], message: `${what} '${item.name}' is already defined at ${field}[${earlier}]; names must be unique` });
    } else {
      first.set(item.name, i);
    }
  });
  return issues;
}

/** Rules that check a tenant file against the platform's allow-lists and caps. */
export function tenantPlatformRules(tenant: TenantFile, platform: PlatformFile): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const caps = platform.tenantCaps;
  const allowed = Object.keys(platform.gpuInstanceTypes);
  (tenant.gpuPools ?? []).forEach((pool, i) => {
    pool.instanceTypes.forEach((type, j) => {
      if (!(type in platform.gpuInstanceTypes)) {
        issues.push({
          path: ['gpuPools', i, 'instanceTypes', j],
          message: `'${type}' is not an allowed GPU instance type; use one of ${allowed.join(', ')} (platform.yaml gpuInstanceTypes)`,
        });
      }
    });
    // `g6` with pool `xlarge` would be NodePool `g6.xlarge`: a string every tenant stack holds, read as naming that tenant.
    const nodePool = tenantNames(platform.name, platform.accounts.platform, tenant.name).nodePool(pool.name);
    if (nodePool in platform.gpuInstanceTypes) {
      issues.push({
        path: ['gpuPools', i, 'name'],
        message: `makes the NodePool name '${nodePool}', which is also a GPU instance type in platform.yaml; choose another pool name`,
      });
    }
    if (pool.maxNodes > caps.maxNodesPerPool) {
      issues.push({
        path: ['gpuPools', i, 'maxNodes'],
        message: `must be at most the platform cap of ${caps.maxNodesPerPool} nodes per pool, got ${pool.maxNodes}`,
      });
    }
    // A pool larger than the namespace may use is capacity paid for and never scheduled on.
    const perNode = Math.max(0, ...pool.instanceTypes.map((type) => platform.gpuInstanceTypes[type]?.gpus ?? 0));
    const atFullSize = perNode * pool.maxNodes;
    if (perNode > 0 && tenant.quota.gpus === 0) {
      issues.push({
        path: ['quota', 'gpus'],
        message: `is 0, so no pod may use the GPUs of pool '${pool.name}': raise quota.gpus to at least ${perNode} (one node), or remove the pool`,
      });
    } else if (atFullSize > tenant.quota.gpus) {
      issues.push({
        path: ['gpuPools', i, 'maxNodes'],
        message: `${pool.maxNodes} nodes of up to ${perNode} GPUs make ${atFullSize} GPUs, more than quota.gpus (${tenant.quota.gpus}): lower maxNodes to ${Math.floor(tenant.quota.gpus / perNode)} or raise quota.gpus to ${atFullSize}`,
      });
    }
  });
  const shared = platform.kueue?.sharedGpuPool;
  if ((tenant.sharedGpus ?? 0) > 0 && shared === undefined) {
    issues.push({
      path: ['sharedGpus'],
      message: 'the platform has no shared GPU pool (kueue.sharedGpuPool in platform.yaml); remove sharedGpus or ask the platform team for one',
    });
  }
  if (shared !== undefined && (tenant.sharedGpus ?? 0) > 0) {
    const capacity = shared.maxNodes * Math.max(0, ...shared.instanceTypes.map((type) => platform.gpuInstanceTypes[type]?.gpus ?? 0));
    if ((tenant.sharedGpus ?? 0) > capacity)
      issues.push({ path: ['sharedGpus'], message: `must be at most the shared pool's ${capacity} GPUs, got ${tenant.sharedGpus}` });
  }
  if (tenant.quota.gpus > caps.maxGpus) {
    issues.push({ path: ['quota', 'gpus'], message: `must be at most the platform cap of ${caps.maxGpus} GPUs, got ${tenant.quota.gpus}` });
  }
  if (caps.maxCpu !== undefined && tenant.quota.cpu > caps.maxCpu) {
    issues.push({ path: ['quota', 'cpu'], message: `must be at most the platform cap of ${caps.maxCpu} cores, got ${tenant.quota.cpu}` });
  }
  if (caps.maxMemoryGi !== undefined && tenant.quota.memoryGi > caps.maxMemoryGi) {
    issues.push({ path: ['quota', 'memoryGi'], message: `must be at most the platform cap of ${caps.maxMemoryGi} GiB, got ${tenant.quota.memoryGi}` });
  }
  if (tenant.budget.monthlyUsd > caps.maxMonthlyBudgetUsd) {
    issues.push({
      path: ['budget', 'monthlyUsd'],
      message: `must be at most the platform cap of ${caps.maxMonthlyBudgetUsd} USD, got ${tenant.budget.monthlyUsd}`,
    });
  }
  const platformValues = [platform.name, platform.region, ...platform.allowedRegions, ...Object.values(platform.tags ?? {})];
  if (platformValues.includes(tenant.name)) {
    issues.push({
      path: ['name'],
      message: `'${tenant.name}' is a value of platform.yaml (platform name, region or tag) and would appear in every stack; choose another name`,
    });
  }
  const platformPrefix = tenantNameReservation(tenant.name, platform.name);
  if (platformPrefix !== undefined && tenant.name !== platform.name && tenantNameReservation(tenant.name) === undefined) {
    issues.push({ path: ['name'], message: `${platformPrefix}; choose another name` });
  }
  if (tenant.people !== undefined && platform.identityCenter === undefined) {
    issues.push({
      path: ['people'],
      message:
        'platform.yaml has no identityCenter instance, so the group cannot be given access: ask the platform team to set identityCenter.instanceArn, or remove people',
    });
  }
  const id = tenant.account.id;
  if (id !== undefined && (id === platform.accounts.management || id === platform.accounts.platform)) {
    issues.push({ path: ['account', 'id'], message: `${id} is a platform account (management or platform); a tenant needs an account of its own` });
  }
  const names = derivedNames(platform.name, platform.accounts.platform, {
    name: tenant.name,
    buckets: (tenant.buckets ?? []).map((b) => b.name),
    gpuPools: (tenant.gpuPools ?? []).map((p) => p.name),
    accountId: tenant.account.id,
  });
  for (const derived of names) {
    const limit = NAME_LIMITS[derived.kind];
    if (derived.name.length > limit) {
      issues.push({
        path: derived.from,
        message: `too long: it makes the ${derived.kind} name '${derived.name}' (${derived.name.length} characters, limit ${limit}); shorten it by ${derived.name.length - limit}`,
      });
    }
  }
  return issues;
}

export interface TenantEntry {
  readonly file: string;
  /** The file name without `.yaml`, which the tenant's name must equal. */
  readonly baseName: string;
  readonly tenant: TenantFile;
}

export interface CrossFileIssue extends RuleIssue {
  readonly file: string;
}

/**
 * Uniqueness across files, in one pass (linear in the number of tenants). When a clash has
 * an author, the issue is on that file: a tenant name clash is on the file whose name does
 * not match its file name, and `pending` (the file tenant:new is about to write) is always
 * the one that introduces a clash. Otherwise every file of the clash is named, since nothing
 * in the files says which one came last.
 */
export function crossTenantRules(entries: readonly TenantEntry[], pending?: string): CrossFileIssue[] {
  const issues: CrossFileIssue[] = [];
  const check = (field: FieldPath, what: string, valueOf: (t: TenantFile) => string | undefined, innocent: (e: TenantEntry) => boolean) => {
    const byValue = new Map<string, TenantEntry[]>();
    for (const entry of entries) {
      const value = valueOf(entry.tenant);
      if (value === undefined) continue;
      const key = value.toLowerCase();
      const group = byValue.get(key);
      if (group) group.push(entry);
      else byValue.set(key, [entry]);
    }
    for (const group of byValue.values()) {
      if (group.length < 2) continue;
      const culprits = group.filter((e) => e.file === pending);
      const blamed = culprits.length > 0 ? culprits : group.filter((e) => !innocent(e)).length > 0 ? group.filter((e) => !innocent(e)) : group;
      for (const entry of blamed) {
        const others = group.filter((e) => e !== entry).map((e) => e.file);
        issues.push({
          file: entry.file,
          path: field,
          message: `${what} '${valueOf(entry.tenant)}' is already used by ${others.join(', ')}; each tenant needs its own`,
        });
      }
    }
  };
  const namedLikeItsFile = (e: TenantEntry) => e.baseName === e.tenant.name;
  check(['name'], 'tenant name', (t) => t.name, namedLikeItsFile);
  check(
    ['account', 'email'],
    'account e-mail',
    (t) => t.account.email,
    () => false,
  );
  check(
    ['account', 'id'],
    'account id',
    (t) => t.account.id,
    () => false,
  );
  // One group serves one tenant: a shared group would make one tenant's people another's.
  check(
    ['people', 'identityCenterGroupId'],
    'Identity Center group',
    (t) => t.people?.identityCenterGroupId,
    () => false,
  );
  return issues;
}

/**
 * No two tenants derive the same name. Names are built to be distinct (one tenant part, or
 * `<tenant>.<pool>` with a separator no name contains); this checks it on every derived name,
 * so a future derivation that could repeat another tenant's is caught at validation.
 */
export function crossTenantNameRules(entries: readonly TenantEntry[], platformName: string, platformAccountId: string): CrossFileIssue[] {
  const issues: CrossFileIssue[] = [];
  const seen = new Map<string, { file: string; tenant: string }>();
  for (const { file, tenant } of entries) {
    const names = derivedNames(platformName, platformAccountId, {
      name: tenant.name,
      buckets: (tenant.buckets ?? []).map((b) => b.name),
      gpuPools: (tenant.gpuPools ?? []).map((p) => p.name),
      accountId: tenant.account.id,
    });
    // A name with a vended account's id is unique by that id, which is not known yet.
    const known = names.filter((n) => !n.name.includes(UNKNOWN_ACCOUNT_ID));
    for (const derived of new Map(known.map((n) => [`${n.kind}\u0000${n.name}`, n])).values()) {
      const key = `${derived.kind}\u0000${derived.name}`;
      const other = seen.get(key);
      if (other && other.tenant !== tenant.name) {
        issues.push({
          file,
          path: derived.from,
          message: `makes the ${derived.kind} name '${derived.name}', which tenant '${other.tenant}' (${other.file}) already makes; rename this pool or bucket`,
        });
      } else if (!other) {
        seen.set(key, { file, tenant: tenant.name });
      }
    }
  }
  return issues;
}
