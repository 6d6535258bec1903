/**
 * Synthesis of the `bootstrap` stack alone, from platform.yaml (tenant files play no part):
 * into its own output directory, never the platform's, so no platform command plans or
 * applies it by mistake.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { ConfigError } from '../config/issues';
import { loadPlatformFile } from '../config/load';
import { toPlatform } from '../config/model';
import { makeDirectories } from '../stacks/output-dir';
import { BOOTSTRAP_STACK, BootstrapNotReady, BootstrapStack, bootstrapProblems } from '../stacks/bootstrap-stack';
import { withoutTokenStackTraces } from '../constructs/common/cdktf-internals';

export const BOOTSTRAP_OUTDIR = 'cdktf.out.bootstrap';

/** Writes `<outdir>/stacks/bootstrap/cdk.tf.json`; returns that file. Throws ConfigError or a listed problem before writing anything. */
export function synthesizeBootstrap(platformFile: string, outdir: string = BOOTSTRAP_OUTDIR): string {
  const checked = loadPlatformFile(platformFile);
  if (!checked.value) throw new ConfigError(checked.issues);
  const platform = toPlatform(checked.value);
  const problems = bootstrapProblems(platform);
  if (problems.length > 0) throw new BootstrapNotReady(problems.join('\n'));
  if (existsSync(outdir) && readdirSync(outdir).some((entry) => entry !== 'stacks' && entry !== 'manifest.json' && !entry.startsWith('.')))
    throw new BootstrapNotReady(`${outdir} holds files the bootstrap synth did not write; choose another BOOTSTRAP_OUTDIR or empty it`);
  makeDirectories(outdir);
  const app = new App({ outdir, skipValidation: false });
  withoutTokenStackTraces(() => {
    new BootstrapStack(app, { platform });
    app.synth();
  });
  return path.join(outdir, 'stacks', BOOTSTRAP_STACK, 'cdk.tf.json');
}
