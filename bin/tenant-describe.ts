/** `npm run tenant:describe`: what one tenant file gives a tenant, as a table or a Mermaid diagram. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { closest } from '../config/issues';
import { configPathsFromEnv, loadConfig, TENANT_FILE_EXTENSION } from '../config/load';
import { describeTenant, renderTable, summaryLine } from '../tools/tenant/describe';
import { renderMermaid } from '../tools/tenant/mermaid';
import { CliFailure, EXIT, parseFlags, runCli, UsageError } from './cli';

const NAME = 'tenant:describe';
const FORMATS = ['table', 'mermaid'] as const;
/** Above this many files checking the directory takes about a second: say so first. */
const SLOW_TENANT_FILES = 300;

export const USAGE = `Usage: npm run tenant:describe -- <name> [--format table|mermaid]

Prints what the tenant file tenants/<name>.yaml gives the tenant, in the names the
platform creates: the account (vended or adopted), stack, KMS key, buckets, roles,
namespace and quota, GPU node pools (instance types, capacity, min-max nodes, GPUs per
node), budget, and the GPU cost ceiling (every pool at its maximum size all month at
on-demand prices, as the plan review computes it), with a warning when the ceiling is
above the budget. Every tenant file is checked first, as npm run validate does.

Options:
  --format table     an aligned text table, then a one-line summary (default)
  --format mermaid   a Mermaid flowchart in a \`\`\`mermaid block, for a pull request or an
                     issue on GitHub; the summary goes to standard error

Environment:
  PLATFORM_CONFIG  platform settings file (default: platform.yaml)
  TENANTS_DIR      directory of tenant files (default: tenants)

Exit codes: 0 described, 1 the files have problems or there is no such tenant, 2 usage error.`;

function tenantFileCount(dir: string): number {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return 0;
  return readdirSync(dir).filter((e) => e.endsWith(TENANT_FILE_EXTENSION)).length;
}

/** The command without its frame: returns the result line or throws. */
export function main(args: string[]): string {
  const { flags, positional } = parseFlags(args, ['format']);
  if (positional.length === 0) throw new UsageError('give the tenant name, such as npm run tenant:describe -- fraud-detection');
  if (positional.length > 1) throw new UsageError(`unexpected argument '${positional[1]}'`);
  const format = FORMATS.find((f) => f === (flags.format ?? 'table'));
  if (!format) throw new UsageError(`--format takes ${FORMATS.join(' or ')}, got '${flags.format}'`);
  const name = positional[0];
  const paths = configPathsFromEnv();

  const files = tenantFileCount(paths.tenantsDir);
  if (files > SLOW_TENANT_FILES) process.stderr.write(`${NAME}: checking ${paths.platformFile} and ${files} tenant files in ${paths.tenantsDir}\n`);
  const config = loadConfig(paths);
  const tenant = config.tenants.find((t) => t.name === name);
  if (!tenant) {
    const known = config.tenants.map((t) => t.name);
    const guess = closest(name, known);
    const listed =
      known.length <= 10 ? `; the tenants are ${known.join(', ') || 'none yet'}` : `; ${known.length} tenants, list them with ls ${paths.tenantsDir}`;
    throw new CliFailure(`no tenant '${name}' in ${paths.tenantsDir}${guess ? ` (did you mean '${guess}'?)` : ''}${listed}`, EXIT.rejected);
  }

  const description = describeTenant(tenant, config.platform);
  if (format === 'mermaid') {
    process.stdout.write(`${renderMermaid(description)}\n`);
    for (const warning of description.warnings) process.stderr.write(`${NAME}: ${warning}\n`);
    process.stderr.write(`${summaryLine(description)}\n`);
    return '';
  }
  return `${renderTable(description)}\n\n${summaryLine(description)}`;
}

if (require.main === module) runCli(NAME, USAGE, main);
