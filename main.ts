/**
 * The cdktf app (`cdktf synth`, `cdktf deploy`): platform.yaml and the tenant files in,
 * one stack per concern out. Configuration problems are printed one line each and
 * nothing is written. `npm run synth` runs the same synthesis without the cdktf CLI.
 */
import { reportError, synthDirOf } from './bin/cli';
import { configPathsFromEnv } from './config/load';
import { synthesize } from './synth/synthesize';

try {
  // cdktf's CLI passes its output directory as CDKTF_OUTDIR.
  synthesize({ paths: configPathsFromEnv(), outdir: synthDirOf({}) });
} catch (error) {
  process.exitCode = reportError('synth', 'Run npm run validate to see every problem in the tenant files.', error);
}
