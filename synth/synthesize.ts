/**
 * Synthesis from files to `cdk.tf.json`: load and check the configuration first (nothing
 * is written when a file is wrong), synthesize into a fresh sibling directory, then swap
 * it in, so a failed synth never leaves a half-written or stale output directory.
 */
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { loadConfig, type ConfigPaths } from '../config/load';
import { withoutTokenStackTraces } from '../constructs/common/cdktf-internals';
import { synthesizeWithGuardrails } from './collect-errors';
import { buildCheckedPlatform } from './platform';

export interface SynthOptions {
  readonly paths: ConfigPaths;
  readonly outdir: string;
  /** Called with a short progress line. @default silent */
  readonly progress?: (line: string) => void;
}

export interface SynthResult {
  readonly stacks: readonly string[];
  readonly tenants: number;
  readonly outdir: string;
}

export function synthesize(options: SynthOptions): SynthResult {
  const progress = options.progress ?? (() => undefined);
  const config = loadConfig(options.paths);
  progress(`loaded ${config.tenants.length} tenant files`);
  const outdir = path.resolve(options.outdir);
  const staging = mkdtempSync(`${outdir}.synth-`);
  try {
    const app = new App({ outdir: staging, skipValidation: false });
    withoutTokenStackTraces(() => {
      const stacks = buildCheckedPlatform(app, config);
      progress(`built ${3 + stacks.tenants.length} stacks, synthesizing`);
      // Fails with every guardrail error of every stack, before the output is swapped in.
      synthesizeWithGuardrails(app);
    });
    if (existsSync(outdir)) rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
    return { stacks: Object.keys(app.manifest.stacks), tenants: config.tenants.length, outdir: options.outdir };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
