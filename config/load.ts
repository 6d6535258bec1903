/**
 * Reads platform.yaml and the tenant directory, checks everything, and returns typed
 * values, or throws one ConfigError that lists every problem in every file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { adoptionIssue, adoptionRegisterPath, adoptionRegisterSchema, hasAdoptionRegister } from './adoptions';
import { ConfigError, type ConfigIssue } from './issues';
import { toPlatform, toTenant, type Platform, type Tenant } from './model';
import { crossTenantNameRules, crossTenantRules, tenantFileRules, tenantPlatformRules, type TenantEntry } from './rules';
import { schemaIssues } from './schema-issues';
import { platformSchema, tenantSchema, type PlatformFile, type TenantFile } from './schema';
import { issueAt, parseYaml, type YamlSource } from './source';

export const TENANT_FILE_EXTENSION = '.yaml';

export interface ConfigPaths {
  readonly platformFile: string;
  readonly tenantsDir: string;
}

/** The public interface: PLATFORM_CONFIG and TENANTS_DIR, defaulting to the repository's files. */
export function configPathsFromEnv(env: NodeJS.ProcessEnv = process.env): ConfigPaths {
  return {
    platformFile: env.PLATFORM_CONFIG || 'platform.yaml',
    tenantsDir: env.TENANTS_DIR || 'tenants',
  };
}

export interface LoadedConfig {
  readonly platform: Platform;
  /** Sorted by name, so that output never depends on directory order. */
  readonly tenants: readonly Tenant[];
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(file);
}

interface Checked<T> {
  readonly value?: T;
  readonly source?: YamlSource;
  readonly issues: ConfigIssue[];
}

function readYamlAgainst<T>(file: string, schema: z.ZodType<T>): Checked<T> {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read file (${(error as Error).message})`;
    return { issues: [{ file: shown, path: [], message: reason }] };
  }
  const parsed = parseYaml(shown, text);
  if (parsed.issues.length > 0) return { source: parsed.source, issues: parsed.issues };
  const result = schema.safeParse(parsed.data);
  if (!result.success) return { source: parsed.source, issues: schemaIssues(schema, parsed.source, parsed.data, result.error) };
  return { value: result.data, source: parsed.source, issues: [] };
}

export function loadPlatformFile(file: string): Checked<PlatformFile> {
  const checked = readYamlAgainst(file, platformSchema);
  if (checked.issues.length > 0 && checked.issues[0].message === 'file not found') {
    return { issues: [{ ...checked.issues[0], message: 'file not found: create it, or point PLATFORM_CONFIG at the platform settings' }] };
  }
  return checked;
}

interface TenantListing {
  readonly files: string[];
  readonly issues: ConfigIssue[];
}

function listTenantFiles(dir: string): TenantListing {
  const shown = displayPath(dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { files: [], issues: [{ file: shown, path: [], message: 'tenant directory not found: create it, or point TENANTS_DIR at it' }] };
  }
  const files: string[] = [];
  const issues: ConfigIssue[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (entry.endsWith('.yml')) {
      issues.push({ file: displayPath(full), path: [], message: `tenant files end in ${TENANT_FILE_EXTENSION}: rename it to ${entry.slice(0, -4)}${TENANT_FILE_EXTENSION}` });
    } else if (entry.endsWith(TENANT_FILE_EXTENSION) && statSync(full).isFile()) {
      files.push(full);
    }
  }
  return { files, issues };
}

function toIssues(source: YamlSource, found: readonly { path: readonly (string | number)[]; message: string; atKey?: boolean }[]): ConfigIssue[] {
  return found.map((i) => issueAt(source, i.path, i.message, { key: i.atKey }));
}

/** By file, then position: the order a user fixes them in. Stable for issues on the same spot. */
function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => compare(a.issue.file, b.issue.file) || (a.issue.line ?? 0) - (b.issue.line ?? 0) || (a.issue.col ?? 0) - (b.issue.col ?? 0) || a.i - b.i)
    .map(({ issue }) => issue);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Checks every file and returns all problems; `config` is set only when there are none. */
export function checkConfig(paths: ConfigPaths): { config?: LoadedConfig; issues: ConfigIssue[]; tenantFiles: number } {
  const issues: ConfigIssue[] = [];
  const platform = loadPlatformFile(paths.platformFile);
  issues.push(...platform.issues);

  const listing = listTenantFiles(paths.tenantsDir);
  issues.push(...listing.issues);

  // No register: nothing may be adopted (every adoption is reported below).
  const registerFile = adoptionRegisterPath(paths.tenantsDir);
  const register = hasAdoptionRegister(paths.tenantsDir) ? readYamlAgainst(registerFile, adoptionRegisterSchema) : { issues: [] as ConfigIssue[], value: undefined };
  issues.push(...register.issues);
  const adoptions = new Map(Object.entries(register.value?.accounts ?? {}));

  const entries: (TenantEntry & { source: YamlSource })[] = [];
  for (const file of listing.files) {
    const checked = readYamlAgainst(file, tenantSchema);
    issues.push(...checked.issues);
    if (!checked.value || !checked.source) continue;
    const tenant: TenantFile = checked.value;
    const found = tenantFileRules(tenant, path.basename(file, TENANT_FILE_EXTENSION));
    if (platform.value) found.push(...tenantPlatformRules(tenant, platform.value));
    const adoption = adoptionIssue(tenant, adoptions);
    if (adoption && !found.some((issue) => issue.path.join('.') === 'account.id')) found.push(adoption);
    issues.push(...toIssues(checked.source, found));
    entries.push({ file: checked.source.file, tenant, source: checked.source });
  }
  const sources = new Map(entries.map((e) => [e.file, e.source]));
  const nameClashes = platform.value ? crossTenantNameRules(entries, platform.value.name, platform.value.accounts.platform) : [];
  for (const cross of [...crossTenantRules(entries), ...nameClashes]) {
    issues.push(issueAt(sources.get(cross.file)!, cross.path, cross.message));
  }

  if (issues.length > 0 || !platform.value) return { issues: sortIssues(issues), tenantFiles: listing.files.length };
  const tenants = entries.map((e) => toTenant(e.tenant)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { config: { platform: toPlatform(platform.value), tenants }, issues, tenantFiles: listing.files.length };
}

/** Loads the configuration or throws a ConfigError listing every problem. */
export function loadConfig(paths: ConfigPaths = configPathsFromEnv()): LoadedConfig {
  const { config, issues } = checkConfig(paths);
  if (!config) throw new ConfigError(issues);
  return config;
}
