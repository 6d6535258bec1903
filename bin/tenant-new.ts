/** `npm run tenant:new`: writes a new tenant file with the platform's defaults, only when it validates. */
import { ConfigError } from '../config/issues';
import { configPathsFromEnv, loadPlatformFile } from '../config/load';
import { usd } from '../config/cost';
import { answerChecks } from '../tools/tenant/answers';
import {
  askForMissing,
  completeRequest,
  missingFlags,
  OPTIONAL_FLAGS,
  RequestError,
  REQUIRED_FLAGS,
  requestFromFlags,
  type TenantRequest,
} from '../tools/tenant/request';
import { defaultBudgetUsd, SCAFFOLD_DEFAULTS, scaffoldTenant, ScaffoldRefused } from '../tools/tenant/scaffold';
import { CliFailure, EXIT, parseFlags, runCli, UsageError } from './cli';

const NAME = 'tenant:new';

const USAGE = `Usage: npm run tenant:new -- --name <name> --owner <email> --cost-center <code> [options]

Writes tenants/<name>.yaml with the platform's defaults, checks it together with every
existing tenant file exactly as npm run validate does, and keeps it only when it passes.
An existing tenant file is never overwritten. On a terminal, the values not given as
flags are asked for; without one, missing flags are a usage error.

Required:
  --name <name>            tenant name: lowercase letters, digits and '-'; also its namespace
  --owner <email>          the owning team's contact; budget alerts go here
  --cost-center <code>     cost center the tenant's account is billed to, such as cc-4410

Options:
  --account-email <email>  root e-mail of the new AWS account (default aws+<name>@<owner's domain>)
  --account-id <id>        adopt this existing 12-digit account instead of vending one
                           (the platform team must have registered it: docs/accounts.md)
  --group-id <id>          the team's IAM Identity Center group id: its members sign in
  --gpu <types>:<max>      one GPU pool: instance types from platform.yaml (comma-separated)
                           and its maximum nodes, such as g6.12xlarge:4 or g6.12xlarge,g5.12xlarge:4
  --pool <name>            GPU pool name (default ${SCAFFOLD_DEFAULTS.poolName})
  --capacity <type>        spot (default) or on-demand; the pool starts at ${SCAFFOLD_DEFAULTS.minNodes} nodes
  --budget <usd>           monthly budget (default: the GPU cost ceiling rounded up, or
                           ${SCAFFOLD_DEFAULTS.cpuOnlyBudgetUsd} without GPUs; at most the platform cap)
  --cpu <cores>            namespace CPU quota (default ${SCAFFOLD_DEFAULTS.minCpu}, or ${SCAFFOLD_DEFAULTS.cpuPerGpu} per GPU)
  --memory-gi <GiB>        namespace memory quota (default ${SCAFFOLD_DEFAULTS.minMemoryGi}, or ${SCAFFOLD_DEFAULTS.memoryGiPerGpu} per GPU)
  The namespace GPU quota is the pool's GPUs at its maximum size, within the platform cap.

Environment:
  PLATFORM_CONFIG  platform settings file (default: platform.yaml)
  TENANTS_DIR      directory of tenant files (default: tenants)

Exit codes: 0 written, 1 refused (invalid values, or the file exists; nothing was
written), 2 usage error (such as missing flags without a terminal).`;

function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RequestError) throw new UsageError(error.message);
    throw error;
  }
}

async function gatherRequest(flags: Record<string, string>): Promise<TenantRequest> {
  const given = asUsage(() => requestFromFlags(flags));
  const missing = missingFlags(given);
  if (missing.length === 0) return completeRequest(given);
  if (!process.stdin.isTTY) {
    throw new UsageError(`missing ${missing.join(', ')}: give ${missing.length === 1 ? 'it' : 'them'} as flags (no terminal to ask on)`);
  }
  const platform = loadPlatformFile(configPathsFromEnv().platformFile);
  if (!platform.value) throw new ConfigError(platform.issues);
  const platformFile = platform.value;
  process.stderr.write(`${NAME}: a few questions for the new tenant file (Ctrl-C to stop; nothing is written until the end)\n`);
  try {
    const checks = answerChecks(platformFile, configPathsFromEnv().tenantsDir);
    return await askForMissing(given, platformFile, (r) => defaultBudgetUsd(r, platformFile), { input: process.stdin, output: process.stderr }, checks);
  } catch (error) {
    if (error instanceof RequestError) throw new UsageError(error.message);
    throw error;
  }
}

runCli(NAME, USAGE, async (args) => {
  const { flags, positional } = parseFlags(args, [...REQUIRED_FLAGS, ...OPTIONAL_FLAGS]);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const request = await gatherRequest(flags);
  const paths = configPathsFromEnv();
  let result: ReturnType<typeof scaffoldTenant>;
  try {
    result = scaffoldTenant(request, paths, { progress: (line) => process.stderr.write(`${NAME}: ${line}\n`) });
  } catch (error) {
    if (error instanceof ScaffoldRefused) throw new CliFailure(error.message, EXIT.rejected);
    throw error;
  }
  for (const warning of result.warnings) process.stderr.write(`${NAME}: warning: ${warning}\n`);
  if (result.existingProblems.length > 0) {
    process.stderr.write(
      `${NAME}: note: other tenant files already had ${result.existingProblems.length} problem(s), not caused by this one; see npm run validate\n`,
    );
  }
  const t = result.tenant;
  const pools = t.gpuPools.map((p) => `${p.name} ${p.instanceTypes.join(',')} ${p.capacity} ${p.minNodes}-${p.maxNodes}`).join('; ') || 'no GPU pool';
  return `ok: wrote ${result.file} (${pools}, budget ${usd(t.monthlyBudgetUsd)}, GPU ceiling ${usd(result.ceiling.monthlyUsd)}); valid with ${result.existingTenants} other tenant file${result.existingTenants === 1 ? '' : 's'}; next: npm run tenant:describe -- ${t.name}`;
});
