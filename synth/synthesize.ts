/**
 * Synthesis from files to `cdk.tf.json`: load and check the configuration first (nothing
 * is written when a file is wrong), synthesize into a fresh sibling directory, record what
 * it was made from, then swap it in, so a failed synth never leaves a half-written or stale
 * output directory. Only an output directory that is the synth's own is replaced
 * (output-dir.ts).
 */
import { App } from 'cdktf';
import { inputDigest, recordedInputs } from '../config/input-digest';
import { loadConfig, type ConfigPaths, type LoadedConfig } from '../config/load';
import { displayPath } from '../config/read-text';
import { withoutTokenStackTraces } from '../constructs/common/cdktf-internals';
import { checkOutputDir, createStaging, removeStaging, replaceOutput } from '../stacks/output-dir';
import { writeSynthRecord } from '../stacks/synth-record';
import { codeDigest } from './code-digest';
import { synthesizeWithGuardrails } from './collect-errors';
import type { PlatformStacks } from '../stacks/platform';
import { buildCheckedPlatform } from './platform';

export interface SynthOptions {
  readonly paths: ConfigPaths;
  readonly outdir: string;
  /** Called with a short progress line. @default silent */
  readonly progress?: (line: string) => void;
  /** The configuration, already loaded and checked from `paths` (a command that validated first). @default loaded from `paths` */
  readonly config?: LoadedConfig;
}

export interface SynthResult {
  readonly stacks: readonly string[];
  readonly tenants: number;
  readonly outdir: string;
  /** The stacks built, with their guardrail results (a report needs no second synth). */
  readonly built: PlatformStacks;
}

export function synthesize(options: SynthOptions): SynthResult {
  const progress = options.progress ?? (() => undefined);
  const digest = inputDigest(options.paths);
  const config = options.config ?? loadConfig(options.paths);
  // Before anything is written: a refusal touches nothing.
  checkOutputDir(options.outdir, options.paths);
  progress(
    config.tenants.length === 0
      ? `no tenant files in ${displayPath(options.paths.tenantsDir)}: synthesizing the platform stacks only`
      : `loaded ${config.tenants.length} tenant files`,
  );
  const staging = createStaging(options.outdir, progress);
  try {
    const app = new App({ outdir: staging, skipValidation: false });
    const built = withoutTokenStackTraces(() => {
      const stacks = buildCheckedPlatform(app, config);
      progress(`built ${3 + stacks.tenants.length} stacks, synthesizing`);
      // Fails with every guardrail error of every stack, before the output is swapped in.
      synthesizeWithGuardrails(app);
      return stacks;
    });
    writeSynthRecord(staging, recordedInputs(options.paths), digest, codeDigest());
    replaceOutput(staging, options.outdir, options.paths);
    return { stacks: Object.keys(app.manifest.stacks), tenants: config.tenants.length, outdir: options.outdir, built };
  } catch (error) {
    removeStaging(staging);
    throw error;
  }
}
