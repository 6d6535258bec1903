/** `npm run bootstrap:synth`: writes the bootstrap stack an administrator applies once (docs/bootstrap.md). */
import { synthesizeBootstrap, BOOTSTRAP_OUTDIR } from '../synth/bootstrap';
import { configPathsFromEnv } from '../config/load';
import { BootstrapNotReady } from '../stacks/bootstrap-stack';
import { CliFailure, EXIT, runCli, UsageError } from './cli';

export const USAGE = `Usage: npm run bootstrap:synth

Synthesizes the bootstrap stack (state bucket, GitHub OIDC providers, deployer and planner
roles in the management and platform accounts) from platform.yaml into ${BOOTSTRAP_OUTDIR}
(or BOOTSTRAP_OUTDIR). Apply it once as an administrator: docs/bootstrap.md.

Exit codes: 0 synthesized, 1 platform.yaml is wrong or incomplete, 2 usage error.`;

/** The command without its frame: returns the result line or throws. */
export function main(args: string[]): string {
  if (args.length > 0) throw new UsageError(`unexpected argument '${args[0]}'`);
  let file: string;
  try {
    file = synthesizeBootstrap(configPathsFromEnv().platformFile, process.env.BOOTSTRAP_OUTDIR || BOOTSTRAP_OUTDIR);
  } catch (error) {
    if (error instanceof BootstrapNotReady) throw new CliFailure(`${error.message}\nnothing was written`, EXIT.rejected);
    throw error;
  }
  return `ok: synthesized the bootstrap stack into ${file}; apply it as described in docs/bootstrap.md`;
}

if (require.main === module) runCli('bootstrap:synth', USAGE, main);
