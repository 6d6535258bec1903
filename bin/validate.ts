/** `npm run validate`: checks platform.yaml and every tenant file without synthesizing. */
import { ConfigError } from '../config/issues';
import { checkConfig, configPathsFromEnv } from '../config/load';
import { runCli, UsageError } from './cli';

export const USAGE = `Usage: npm run validate

Checks platform.yaml and every tenant file and prints every problem, one line each:
  <file>:<line>:<col> <field>: <what is wrong and what to write instead>

Environment:
  PLATFORM_CONFIG  platform settings file (default: platform.yaml)
  TENANTS_DIR      directory of tenant files (default: tenants)

Exit codes: 0 valid, 1 problems found, 2 usage error.`;

/** The command without its frame: returns the result line or throws. */
export function main(args: string[]): string {
  if (args.length > 0) throw new UsageError(`unexpected argument '${args[0]}'`);
  const paths = configPathsFromEnv();
  const { config, issues } = checkConfig(paths);
  if (!config) throw new ConfigError(issues);
  if (config.tenants.length === 0)
    return `ok: ${paths.platformFile} is valid; there are no tenant files in ${paths.tenantsDir} (add one with npm run tenant:new)`;
  return `ok: ${paths.platformFile} and ${config.tenants.length} tenant file${config.tenants.length === 1 ? '' : 's'} in ${paths.tenantsDir} are valid`;
}

if (require.main === module) runCli('validate', USAGE, main);
