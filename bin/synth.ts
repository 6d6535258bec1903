/** `npm run synth`: checks the files, then writes every stack's cdk.tf.json. */
import { configPathsFromEnv } from '../config/load';
import { CliFailure, EXIT } from '../kernel/errors';
import { OutputDirRefused } from '../stacks/output-dir';
import { synthesize } from '../synth/synthesize';
import { parseFlags, runCli, synthDirOf, UsageError } from './cli';

export const USAGE = `Usage: npm run synth -- [--synth <dir>]

Checks platform.yaml and the tenant files, then synthesizes the organization, shared,
shared-k8s, shared-pools and tenant-<name> stacks. Nothing is written when any file is
wrong. The output directory is replaced only when it is new, empty or an earlier synth
output (it holds synth-inputs.json, the record of what it was made from); anything else is
refused.

Exit codes: 0 synthesized, 1 a file is wrong, a guardrail failed or the output directory
is refused, 2 usage error.

Options:
  --synth <dir>    output directory (default: $CDKTF_OUTDIR, else cdktf.out)

Environment:
  PLATFORM_CONFIG  platform settings file (default: platform.yaml)
  TENANTS_DIR      directory of tenant files (default: tenants)
  CDKTF_OUTDIR     output directory when --synth is not given`;

/** The command without its frame: returns the result line or throws. */
export function main(args: string[]): string {
  const { flags, positional } = parseFlags(args, ['synth']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const started = Date.now();
  const outdir = synthDirOf(flags);
  const paths = configPathsFromEnv();
  let result: ReturnType<typeof synthesize>;
  try {
    result = synthesize({ paths, outdir, progress: (line) => process.stderr.write(`synth: ${line}\n`) });
  } catch (error) {
    if (error instanceof OutputDirRefused) throw new CliFailure(error.message, EXIT.rejected);
    throw error;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const none = result.tenants === 0 ? `: no tenant files in ${paths.tenantsDir}; add one with npm run tenant:new` : '';
  return `ok: synthesized ${result.stacks.length} stacks (${result.tenants} tenants${none}) into ${result.outdir} in ${seconds} s`;
}

if (require.main === module) runCli('synth', USAGE, main);
