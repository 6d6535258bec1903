/**
 * Reads platform.yaml and the tenant directory, checks everything, and returns typed
 * values, or throws one ConfigError that lists every problem in every file.
 */
import * as path from 'node:path';
import type { z } from 'zod';
import { adoptionIssue, adoptionRegisterPath, adoptionRegisterSchema, hasAdoptionRegister } from './adoptions';
import { ConfigError, type ConfigIssue } from './issues';
import { toPlatform, toTenant, type Platform, type Tenant } from './model';
import { platformRules } from './platform-rules';
import { displayPath, readTextFile } from './read-text';
import { crossTenantNameRules, crossTenantRules, tenantFileRules, tenantPlatformRules, type TenantEntry } from './rules';
import { schemaIssues } from './schema-issues';
import { MAX_PLATFORM_FILE_BYTES, MAX_TENANT_FILE_BYTES, platformSchema, tenantSchema, type PlatformFile, type TenantFile } from './schema';
import { issueAt, parseYaml, type YamlSource } from './source';
import { listTenantFiles, TENANT_FILE_EXTENSION } from './tenant-directory';

export { TENANT_FILE_EXTENSION } from './tenant-directory';

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

interface Checked<T> {
  readonly value?: T;
  readonly source?: YamlSource;
  readonly issues: ConfigIssue[];
}

/** A file that is not on disk yet (the one tenant:new is about to write), checked as if it were. */
export interface PendingFile {
  /** Where it would be written. */
  readonly file: string;
  readonly text: string;
}

function readYamlAgainst<T>(file: string, schema: z.ZodType<T>, limitBytes: number, what: string, pendingText?: string): Checked<T> {
  const shown = displayPath(file);
  const read = pendingText !== undefined ? { text: pendingText } : readTextFile(file, limitBytes, what);
  if (read.text === undefined) return { issues: [{ file: shown, path: [], message: read.problem === 'not found' ? 'file not found' : read.problem }] };
  const parsed = parseYaml(shown, read.text);
  if (parsed.issues.length > 0) return { source: parsed.source, issues: parsed.issues };
  const result = schema.safeParse(parsed.data);
  if (!result.success) return { source: parsed.source, issues: schemaIssues(schema, parsed.source, parsed.data, result.error) };
  return { value: result.data, source: parsed.source, issues: [] };
}

export function loadPlatformFile(file: string): Checked<PlatformFile> {
  const checked = readYamlAgainst(file, platformSchema, MAX_PLATFORM_FILE_BYTES, 'platform settings file');
  if (checked.issues.length > 0 && checked.issues[0].message === 'file not found') {
    return { issues: [{ ...checked.issues[0], message: 'file not found: create it, or point PLATFORM_CONFIG at the platform settings' }] };
  }
  if (checked.value && checked.source) {
    const found = platformRules(checked.value);
    if (found.length > 0) return { source: checked.source, issues: toIssues(checked.source, found) };
  }
  return checked;
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

export interface CheckOptions {
  /** A tenant file to check as if it were in the tenant directory; clashes it brings are its own. */
  readonly pending?: PendingFile;
}

/** Checks every file and returns all problems; `config` is set only when there are none. */
export function checkConfig(paths: ConfigPaths, options: CheckOptions = {}): { config?: LoadedConfig; issues: ConfigIssue[]; tenantFiles: number } {
  const issues: ConfigIssue[] = [];
  const platform = loadPlatformFile(paths.platformFile);
  issues.push(...platform.issues);

  const listing = listTenantFiles(paths.tenantsDir);
  issues.push(...listing.issues);
  const pending = options.pending;
  const files = pending ? [...listing.files.filter((f) => path.resolve(f) !== path.resolve(pending.file)), pending.file].sort() : listing.files;

  // No register: nothing may be adopted (every adoption is reported below).
  const registerFile = adoptionRegisterPath(paths.tenantsDir);
  const register = hasAdoptionRegister(paths.tenantsDir)
    ? readYamlAgainst(registerFile, adoptionRegisterSchema, MAX_TENANT_FILE_BYTES, 'onboarding register')
    : { issues: [] as ConfigIssue[], value: undefined };
  issues.push(...register.issues);
  const adoptions = new Map(Object.entries(register.value?.accounts ?? {}));

  const entries: (TenantEntry & { source: YamlSource })[] = [];
  for (const file of files) {
    const checked = readYamlAgainst(file, tenantSchema, MAX_TENANT_FILE_BYTES, 'tenant file', file === pending?.file ? pending.text : undefined);
    issues.push(...checked.issues);
    if (!checked.value || !checked.source) continue;
    const tenant: TenantFile = checked.value;
    const baseName = path.basename(file, TENANT_FILE_EXTENSION);
    const found = tenantFileRules(tenant, baseName);
    if (platform.value) found.push(...tenantPlatformRules(tenant, platform.value));
    const adoption = adoptionIssue(tenant, adoptions);
    if (adoption && !found.some((issue) => issue.path.join('.') === 'account.id')) found.push(adoption);
    issues.push(...toIssues(checked.source, found));
    entries.push({ file: checked.source.file, baseName, tenant, source: checked.source });
  }
  const sources = new Map(entries.map((e) => [e.file, e.source]));
  const nameClashes = platform.value ? crossTenantNameRules(entries, platform.value.name, platform.value.accounts.platform) : [];
  for (const cross of [...crossTenantRules(entries, pending ? displayPath(pending.file) : undefined), ...nameClashes]) {
    issues.push(issueAt(sources.get(cross.file)!, cross.path, cross.message));
  }

  if (issues.length > 0 || !platform.value) return { issues: sortIssues(issues), tenantFiles: files.length };
  const tenants = entries.map((e) => toTenant(e.tenant)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { config: { platform: toPlatform(platform.value), tenants }, issues, tenantFiles: files.length };
}

/** Loads the configuration or throws a ConfigError listing every problem. */
export function loadConfig(paths: ConfigPaths = configPathsFromEnv()): LoadedConfig {
  const { config, issues } = checkConfig(paths);
  if (!config) throw new ConfigError(issues);
  return config;
}
