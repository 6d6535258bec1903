/**
 * `tenant:new`: turns a request into a tenant file with the platform's defaults, checks it
 * together with every existing tenant exactly as `npm run validate` does, and writes it
 * only when it passes. An existing file is never overwritten.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Document, isSeq } from 'yaml';
import { ConfigError, formatIssue, type ConfigIssue } from '../../config/issues';
import { checkConfig, loadPlatformFile, TENANT_FILE_EXTENSION, type ConfigPaths } from '../../config/load';
import { displayPath, fsProblem } from '../../config/read-text';
import { DEFAULTS, toTenant, type GpuPool, type Tenant } from '../../config/model';
import { tenantSchema, type PlatformFile, type TenantFile } from '../../config/schema';
import { usd } from '../../config/cost';
import { gpuCostCeiling, type GpuCostCeiling } from './cost';
import type { PartialRequest, TenantRequest } from './request';

export const SCHEMA_MODELINE = '# yaml-language-server: $schema=./tenant.schema.json';

/** Defaults for what the request leaves out; each is capped by platform.yaml's tenantCaps. */
export const SCAFFOLD_DEFAULTS = {
  poolName: 'gpu',
  capacity: 'spot',
  minNodes: 0,
  /** A CPU-only tenant: storage, the shared general nodes' share, data transfer. */
  cpuOnlyBudgetUsd: 2000,
  minCpu: 16,
  minMemoryGi: 64,
  cpuPerGpu: 4,
  memoryGiPerGpu: 16,
} as const;

/** The request was refused before anything was written (the file exists, the directory is missing). */
export class ScaffoldRefused extends Error {}

/** Up to the next round number: two significant digits, at least hundreds (16,562 → 17,000). */
export function roundUpToRoundNumber(amount: number): number {
  if (amount <= 0) return 0;
  const step = 10 ** Math.max(2, Math.floor(Math.log10(amount)) - 1);
  return Math.ceil(amount / step) * step;
}

function requestedPools(request: PartialRequest): GpuPool[] {
  if (!request.gpu) return [];
  return [
    {
      name: request.poolName ?? SCAFFOLD_DEFAULTS.poolName,
      instanceTypes: request.gpu.instanceTypes,
      capacity: request.capacity ?? SCAFFOLD_DEFAULTS.capacity,
      minNodes: SCAFFOLD_DEFAULTS.minNodes,
      maxNodes: request.gpu.maxNodes,
      diskGi: DEFAULTS.gpuPoolDiskGi,
    },
  ];
}

/** Enough for the GPU pool at its maximum size (rounded up), else the CPU-only amount; within the cap. */
export function defaultBudgetUsd(request: PartialRequest, platform: PlatformFile): number {
  const ceiling = gpuCostCeiling(requestedPools(request), platform.gpuInstanceTypes).monthlyUsd;
  const wanted = ceiling > 0 ? roundUpToRoundNumber(ceiling) : SCAFFOLD_DEFAULTS.cpuOnlyBudgetUsd;
  return Math.min(wanted, platform.tenantCaps.maxMonthlyBudgetUsd);
}

/** GPUs of the pools at their maximum size, each node counted as the largest of its instance types. */
function poolGpus(pools: readonly GpuPool[], platform: PlatformFile): number {
  return pools.reduce((sum, pool) => sum + pool.maxNodes * Math.max(0, ...pool.instanceTypes.map((t) => platform.gpuInstanceTypes[t]?.gpus ?? 0)), 0);
}

const capped = (value: number, cap: number | undefined) => (cap === undefined ? value : Math.min(value, cap));

/** `aws+<name>@<owner's domain>`; undefined when the owner has no domain to borrow. */
export function defaultAccountEmail(name: string, owner: string): string | undefined {
  const domain = owner.slice(owner.lastIndexOf('@') + 1);
  return owner.includes('@') && domain !== '' ? `aws+${name}@${domain}` : undefined;
}

/** The tenant file the request describes, with every default filled in from platform.yaml. */
export function tenantFileFor(request: TenantRequest, platform: PlatformFile): TenantFile {
  const caps = platform.tenantCaps;
  const pools = requestedPools(request);
  const gpus = capped(poolGpus(pools, platform), caps.maxGpus);
  const email = request.accountId === undefined ? (request.accountEmail ?? defaultAccountEmail(request.name, request.owner)) : undefined;
  return {
    name: request.name,
    owner: request.owner,
    costCenter: request.costCenter,
    account: request.accountId !== undefined ? { id: request.accountId } : email !== undefined ? { email } : {},
    ...(request.peopleGroupId !== undefined ? { people: { identityCenterGroupId: request.peopleGroupId } } : {}),
    buckets: DEFAULTS.buckets.map((name) => ({ name })),
    ...(pools.length > 0
      ? {
          gpuPools: pools.map(({ name, instanceTypes, capacity, minNodes, maxNodes }) => ({
            name,
            instanceTypes: [...instanceTypes],
            capacity,
            minNodes,
            maxNodes,
          })),
        }
      : {}),
    quota: {
      cpu: request.cpu ?? capped(Math.max(SCAFFOLD_DEFAULTS.minCpu, SCAFFOLD_DEFAULTS.cpuPerGpu * gpus), caps.maxCpu),
      memoryGi: request.memoryGi ?? capped(Math.max(SCAFFOLD_DEFAULTS.minMemoryGi, SCAFFOLD_DEFAULTS.memoryGiPerGpu * gpus), caps.maxMemoryGi),
      gpus,
    },
    budget: { monthlyUsd: request.budgetUsd ?? defaultBudgetUsd(request, platform) },
  };
}

/** The file's text: the schema modeline first (editor completion), then the values. */
export function tenantYaml(file: TenantFile): string {
  const doc = new Document(file);
  file.gpuPools?.forEach((_, i) => {
    const types = doc.getIn(['gpuPools', i, 'instanceTypes'], true);
    if (isSeq(types)) types.flow = true;
  });
  return `${SCHEMA_MODELINE}\n# Created with npm run tenant:new; say here what the team runs.\n${doc.toString({ flowCollectionPadding: false })}`;
}

export interface ScaffoldResult {
  /** The path written, as given in the paths (relative to the working directory when they are). */
  readonly file: string;
  readonly text: string;
  readonly tenant: Tenant;
  readonly ceiling: GpuCostCeiling;
  readonly existingTenants: number;
  /** Problems other files already had; the new file adds none. */
  readonly existingProblems: readonly ConfigIssue[];
  /** Worth knowing, not wrong: the plan review will point at these. */
  readonly warnings: readonly string[];
}

export interface ScaffoldOptions {
  readonly progress?: (line: string) => void;
}

/** A name that cannot even be a file name in the tenant directory is refused before any file is touched. */
function unusableAsFileName(name: string): boolean {
  return name === '' || name.startsWith('.') || /[/\\\0]/.test(name) || name.length > 200;
}

function nameIssue(name: string): ConfigIssue {
  const parsed = tenantSchema.shape.name.safeParse(name);
  const message = parsed.success ? `tenant name is too long (${name.length} characters)` : parsed.error.issues[0].message;
  return { file: '--name', path: [], message };
}

interface Validation {
  readonly newIssues: ConfigIssue[];
  readonly existingProblems: ConfigIssue[];
  readonly existingTenants: number;
}

/**
 * Validates the directory as it would be with the new file, without writing it: the loader
 * checks the text in memory as if it were in the tenant directory, so an invalid file never
 * exists there, not even for a moment, and every message names the real paths. Only
 * problems the new file brings are the author's; problems other files already had are
 * passed on.
 */
function validateWithNewFile(paths: ConfigPaths, target: string, text: string): Validation {
  const candidate = checkConfig(paths, { pending: { file: target, text } });
  const existingTenants = candidate.tenantFiles - 1;
  if (candidate.issues.length === 0) return { newIssues: [], existingProblems: [], existingTenants };
  const baseline = checkConfig(paths).issues;
  const already = new Map<string, number>();
  for (const issue of baseline) already.set(formatIssue(issue), (already.get(formatIssue(issue)) ?? 0) + 1);
  const newIssues = candidate.issues.filter((issue) => {
    const left = already.get(formatIssue(issue)) ?? 0;
    if (left === 0) return true;
    already.set(formatIssue(issue), left - 1);
    return false;
  });
  return { newIssues, existingProblems: baseline, existingTenants };
}

function warningsFor(tenant: Tenant, ceiling: GpuCostCeiling, platform: PlatformFile): string[] {
  const warnings: string[] = [];
  if (ceiling.monthlyUsd > tenant.monthlyBudgetUsd) {
    warnings.push(
      `the GPU cost ceiling ${usd(ceiling.monthlyUsd)}/month is above the budget ${usd(tenant.monthlyBudgetUsd)}/month: the plan review will flag it; raise budget.monthlyUsd (cap ${usd(platform.tenantCaps.maxMonthlyBudgetUsd)}) or lower maxNodes`,
    );
  }
  return warnings;
}

/** Writes `<tenantsDir>/<name>.yaml`, or throws ConfigError (invalid) or ScaffoldRefused (exists). */
export function scaffoldTenant(request: TenantRequest, paths: ConfigPaths, options: ScaffoldOptions = {}): ScaffoldResult {
  const progress = options.progress ?? (() => undefined);
  if (unusableAsFileName(request.name)) throw new ConfigError([nameIssue(request.name)]);
  const fileName = `${request.name}${TENANT_FILE_EXTENSION}`;
  const target = path.join(paths.tenantsDir, fileName);
  if (!existsSync(paths.tenantsDir) || !statSync(paths.tenantsDir).isDirectory()) {
    throw new ScaffoldRefused(`${displayPath(paths.tenantsDir)}: tenant directory not found: create it, or point TENANTS_DIR at it; nothing was written`);
  }
  if (existsSync(target)) {
    throw new ScaffoldRefused(
      `${displayPath(target)} already exists: tenant:new never overwrites a tenant; edit that file, or choose another --name; nothing was written`,
    );
  }
  const platform = loadPlatformFile(paths.platformFile);
  if (!platform.value) throw new ConfigError(platform.issues);

  const file = tenantFileFor(request, platform.value);
  const text = tenantYaml(file);
  progress(`checking ${displayPath(target)} with the tenant files in ${displayPath(paths.tenantsDir)} against ${displayPath(paths.platformFile)}`);
  const validation = validateWithNewFile(paths, target, text);
  if (validation.newIssues.length > 0) throw new ConfigError(validation.newIssues);

  try {
    writeFileSync(target, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ScaffoldRefused(`${displayPath(target)} appeared while checking: tenant:new never overwrites a tenant; nothing was written`);
    }
    throw new ScaffoldRefused(`cannot write ${displayPath(target)}: ${displayPath(paths.tenantsDir)} is ${fsProblem(error)}; nothing was written`);
  }
  const tenant = toTenant(file);
  const ceiling = gpuCostCeiling(tenant.gpuPools, platform.value.gpuInstanceTypes);
  return {
    file: target,
    text,
    tenant,
    ceiling,
    existingTenants: validation.existingTenants,
    existingProblems: validation.existingProblems,
    warnings: warningsFor(tenant, ceiling, platform.value),
  };
}
