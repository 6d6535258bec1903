/** `npm run tenant:kubeconfig`: a kubeconfig for a tenant's people, from the shared stack's outputs. */
import { writeFileSync } from 'node:fs';
import { closest } from '../config/issues';
import { configPathsFromEnv, loadConfig } from '../config/load';
import { KubeconfigInputError, peopleRoleArn, readClusterAccess, renderKubeconfig } from '../tools/tenant/kubeconfig';
import { CliFailure, EXIT, parseFlags, runCli, UsageError } from './cli';

export const USAGE = `Usage: npm run --silent tenant:kubeconfig -- <name> --outputs <file> [--account-id <id>] [--profile <aws profile>] [--out <file>]

Writes a kubeconfig for the people of tenant <name>: it reaches the shared cluster as the
tenant's people role, with edit rights in the tenant's namespace only. Sign in first
(aws sso login --profile <profile>); the kubeconfig runs 'aws eks get-token', which
assumes the people role from that sign-in.

Options:
  --outputs <file>     the shared stack's outputs: 'terraform output -json' in the shared
                       stack, as the deploy workflow publishes them (cluster-access.json)
  --account-id <id>    the tenant account (needed for a vended account; an adopted one is
                       in the tenant file)
  --profile <profile>  the AWS CLI profile of the Identity Center sign-in (default: the
                       AWS_PROFILE of the shell that runs kubectl)
  --out <file>         write the kubeconfig there (default: standard output)

Environment:
  PLATFORM_CONFIG  platform settings file (default: platform.yaml)
  TENANTS_DIR      directory of tenant files (default: tenants)

Exit codes: 0 written, 1 no such tenant or unusable outputs, 2 usage error.`;

/** The command without its frame: writes the kubeconfig and returns the result line, or throws. */
export function main(args: string[]): string {
  const { flags, positional } = parseFlags(args, ['outputs', 'account-id', 'profile', 'out']);
  if (positional.length === 0) throw new UsageError('give the tenant name, such as npm run tenant:kubeconfig -- fraud-detection --outputs cluster-access.json');
  if (positional.length > 1) throw new UsageError(`unexpected argument '${positional[1]}'`);
  if (!flags.outputs) throw new UsageError("--outputs is required: the shared stack's 'terraform output -json'");
  const name = positional[0];
  const config = loadConfig(configPathsFromEnv());
  const tenant = config.tenants.find((t) => t.name === name);
  if (!tenant) {
    const guess = closest(
      name,
      config.tenants.map((t) => t.name),
    );
    throw new CliFailure(`no tenant '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, EXIT.rejected);
  }
  try {
    const cluster = readClusterAccess(flags.outputs);
    const text = renderKubeconfig(tenant, config.platform, cluster, { accountId: flags['account-id'], profile: flags.profile });
    const summary = `ok: kubeconfig for tenant ${tenant.name} on cluster ${cluster.name} as ${peopleRoleArn(tenant, config.platform, flags['account-id'])}, namespace ${tenant.name}`;
    if (!flags.out) {
      process.stdout.write(text);
      process.stderr.write(`${summary}\n`);
      return '';
    }
    writeFileSync(flags.out, text, { mode: 0o600 });
    return `${summary}; written to ${flags.out} (export KUBECONFIG=${flags.out})`;
  } catch (error) {
    if (error instanceof KubeconfigInputError) throw new CliFailure(error.message, EXIT.rejected);
    throw error;
  }
}

if (require.main === module) runCli('tenant:kubeconfig', USAGE, main);
