/** `npm run synth`: checks the files, then writes every stack's cdk.tf.json. */
import { configPathsFromEnv } from '../config/load';
import { synthesize } from '../stacks/synth';
import { OutputDirRefused } from '../stacks/output-dir';
import { synthDirFromEnv } from '../stacks/synth-record';
import { CliFailure, EXIT, runCli, UsageError } from './cli';

const USAGE = `Usage: npm run synth

Checks platform.yaml and the tenant files, then synthesizes the organization, shared,
shared-k8s and tenant-<name> stacks. Nothing is written when any file is wrong. The output
directory is replaced only when it is new, empty or an earlier synth output (it holds
synth-inputs.json, the record of what it was made from); anything else is refused.

Exit codes: 0 synthesized, 1 a file is wrong, a guardrail failed or the output directory
is refused, 2 usage error.

Environment:
  PLATFORM_CONFIG  platform settings file (default: platform.yaml)
  TENANTS_DIR      directory of tenant files (default: tenants)
  CDKTF_OUTDIR     output directory (default: cdktf.out)`;

runCli('synth', USAGE, (args) => {
  if (args.length > 0) throw new UsageError(`unexpected argument '${args[0]}'`);
  const started = Date.now();
  const outdir = synthDirFromEnv();
  const paths = configPathsFromEnv();
  let result;
  try {
    result = synthesize({ paths, outdir, progress: (line) => process.stderr.write(`synth: ${line}\n`) });
  } catch (error) {
    if (error instanceof OutputDirRefused) throw new CliFailure(error.message, EXIT.rejected);
    throw error;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const none = result.tenants === 0 ? `: no tenant files in ${paths.tenantsDir}; add one with npm run tenant:new` : '';
  return `ok: synthesized ${result.stacks.length} stacks (${result.tenants} tenants${none}) into ${result.outdir} in ${seconds} s`;
});
