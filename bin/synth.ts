/** `npm run synth`: checks the files, then writes every stack's cdk.tf.json. */
import { configPathsFromEnv } from '../config/load';
import { synthesize } from '../synth/synthesize';
import { parseFlags, runCli, synthDirOf, UsageError } from './cli';

export const USAGE = `Usage: npm run synth -- [--synth <dir>]

Checks platform.yaml and the tenant files, then synthesizes the organization, shared,
shared-k8s and tenant-<name> stacks. Nothing is written when any file is wrong.

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
  const result = synthesize({ paths: configPathsFromEnv(), outdir, progress: (line) => process.stderr.write(`synth: ${line}\n`) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return `ok: synthesized ${result.stacks.length} stacks (${result.tenants} tenants) into ${result.outdir} in ${seconds} s`;
}

if (require.main === module) runCli('synth', USAGE, main);
