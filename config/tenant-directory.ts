/**
 * The tenant directory as the loader sees it: its tenant files, and a problem for anything
 * else in it, so that nothing there is silently ignored. Tenant files must be regular files
 * in the directory itself: a symbolic link could make the platform read a file from
 * anywhere on the machine (a hostile pull request can add one), and a folder or another file
 * is most often a tenant file in the wrong place.
 */
import { lstatSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { ONBOARDING_DIRECTORY } from './adoptions';
import type { ConfigIssue } from './issues';
import { displayPath, fsProblem } from './read-text';

export const TENANT_FILE_EXTENSION = '.yaml';

/** Files the directory may hold besides tenant files; dot files (.gitkeep, editor files) are skipped too. */
export const TENANT_DIRECTORY_EXTRAS: readonly string[] = ['tenant.schema.json', 'README.md'];

export interface TenantListing {
  /** Paths of the tenant files, sorted. */
  readonly files: string[];
  readonly issues: ConfigIssue[];
}

export function listTenantFiles(dir: string): TenantListing {
  const shown = displayPath(dir);
  let stat: Stats;
  try {
    stat = statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'tenant directory not found: create it, or point TENANTS_DIR at it' : `tenant directory is ${fsProblem(error)}`;
    return { files: [], issues: [{ file: shown, path: [], message }] };
  }
  if (!stat.isDirectory()) {
    return { files: [], issues: [{ file: shown, path: [], message: 'is not a directory: point TENANTS_DIR at the directory of tenant files' }] };
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    return { files: [], issues: [{ file: shown, path: [], message: `tenant directory is ${fsProblem(error)}` }] };
  }
  const files: string[] = [];
  const issues: ConfigIssue[] = [];
  for (const entry of names.sort()) {
    if (entry.startsWith('.') || TENANT_DIRECTORY_EXTRAS.includes(entry)) continue;
    const full = path.join(dir, entry);
    // The onboarding register's folder, read by config/adoptions.ts; a link there is refused like any other.
    if (entry === ONBOARDING_DIRECTORY && isRealDirectory(full)) continue;
    const problem = entryProblem(full, entry);
    if (problem) issues.push({ file: displayPath(full), path: [], message: problem });
    else files.push(full);
  }
  return { files, issues };
}

function isRealDirectory(full: string): boolean {
  try {
    return lstatSync(full).isDirectory();
  } catch {
    return false;
  }
}

/** Why an entry is not a usable tenant file, or undefined when it is one. */
function entryProblem(full: string, entry: string): string | undefined {
  let link: Stats;
  try {
    link = lstatSync(full);
  } catch (error) {
    return fsProblem(error);
  }
  if (link.isSymbolicLink()) {
    let target = '?';
    try {
      target = readlinkSync(full);
    } catch {
      // The target is only for the message.
    }
    try {
      statSync(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return `a dangling symbolic link (to '${target}', which does not exist): remove it`;
      return `a symbolic link that is ${fsProblem(error)}`;
    }
    return `a symbolic link (to '${target}'): tenant files must be regular files in the tenant directory; copy the file here instead`;
  }
  if (link.isDirectory())
    return `a folder in the tenant directory, which holds only <name>${TENANT_FILE_EXTENSION} files: move its tenant files up, or move it out`;
  if (entry.endsWith('.yml')) return `tenant files end in ${TENANT_FILE_EXTENSION}: rename it to ${entry.slice(0, -4)}${TENANT_FILE_EXTENSION}`;
  if (!entry.endsWith(TENANT_FILE_EXTENSION))
    return `not a tenant file: the tenant directory holds only <name>${TENANT_FILE_EXTENSION} files; rename it or move it out`;
  if (!link.isFile()) return 'not a regular file: a tenant file must be a file';
  return undefined;
}
