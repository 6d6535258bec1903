/** Finding Terraform and the plugin mirror, the CLI configuration, and running commands. */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findMirror, readMirror, type MirrorContents } from './providers';

/** Terraform or the plugin mirror is missing: nothing can be planned on this machine. */
export class OfflinePlanUnavailable extends Error {
  constructor(
    readonly reason: 'terraform-missing' | 'mirror-missing',
    message: string,
  ) {
    super(message);
  }
}

export interface TerraformTooling {
  readonly terraform: string;
  readonly version: string;
  /** Undefined only with `online`, when no mirror was found. */
  readonly mirrorDir?: string;
  readonly mirror?: MirrorContents;
}

function findOnPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Finds `terraform` on PATH and the mirror (`TF_PLUGIN_MIRROR`, else the usual places), or says which is missing. */
export function findTooling(env: NodeJS.ProcessEnv, online: boolean): TerraformTooling {
  const terraform = findOnPath('terraform', env);
  if (!terraform) throw new OfflinePlanUnavailable('terraform-missing', 'terraform not found on PATH: install Terraform >= 1.10 to plan offline');
  const probe = spawnSync(terraform, ['version', '-json'], { env: { ...env, CHECKPOINT_DISABLE: '1' }, encoding: 'utf8', timeout: 30_000 });
  let version: string | undefined;
  try {
    version = (JSON.parse(probe.stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    version = undefined;
  }
  if (probe.status !== 0 || !version)
    throw new OfflinePlanUnavailable('terraform-missing', `${terraform} does not run ('terraform version' failed): reinstall Terraform >= 1.10`);

  const { dir, looked } = findMirror(env);
  if (!dir) {
    if (online) return { terraform, version };
    const where = env.TF_PLUGIN_MIRROR
      ? `TF_PLUGIN_MIRROR=${env.TF_PLUGIN_MIRROR} holds no providers`
      : `no provider mirror found (looked in ${looked.join(', ')})`;
    throw new OfflinePlanUnavailable(
      'mirror-missing',
      `${where}: set TF_PLUGIN_MIRROR to a Terraform filesystem mirror, or use --online on a machine with network`,
    );
  }
  return { terraform, version, mirrorDir: dir, mirror: readMirror(dir) };
}

function hclString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The Terraform CLI configuration: providers only from the mirror (never the network) unless
 * online. The plugin cache lets a packed (zip) mirror be extracted once for all stacks;
 * an unpacked mirror is linked, never copied.
 */
export function writeCliConfig(file: string, pluginCacheDir: string, tooling: TerraformTooling, online: boolean): void {
  const lines: string[] = [];
  const mirrored = [...(tooling.mirror?.keys() ?? [])].map(hclString).join(', ');
  if (tooling.mirrorDir) {
    lines.push('provider_installation {', '  filesystem_mirror {', `    path = ${hclString(tooling.mirrorDir)}`);
    if (online) lines.push(`    include = [${mirrored}]`);
    lines.push('  }');
    if (online) lines.push('  direct {', `    exclude = [${mirrored}]`, '  }');
    lines.push('}');
  }
  lines.push(`plugin_cache_dir = ${hclString(pluginCacheDir)}`, 'plugin_cache_may_break_dependency_lock_file = true', '');
  writeFileSync(file, lines.join('\n'));
}

/** Variables that would change what Terraform or the AWS provider does behind our back. */
const ENV_REMOVED =
  /^(AWS_(PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|ROLE_ARN|ROLE_SESSION_NAME|WEB_IDENTITY_TOKEN_FILE|CONFIG_FILE|SHARED_CREDENTIALS_FILE)|TF_CLI_ARGS.*|TF_WORKSPACE|TF_DATA_DIR|TF_VAR_.*|TF_REATTACH_PROVIDERS)$/;

export function terraformEnv(env: NodeJS.ProcessEnv, cliConfigFile: string): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!ENV_REMOVED.test(key)) clean[key] = value;
  return {
    ...clean,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    AWS_EC2_METADATA_DISABLED: 'true',
    // Terraform and the provider spend much of each short run collecting garbage while they
    // build and decode the AWS provider's schema; a lazier collector measured ~10% less CPU.
    GOGC: env.GOGC ?? '400',
  };
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const COMMAND_TIMEOUT_MS = 10 * 60 * 1000;

/** Runs one Terraform command; with `stdoutFile`, stdout goes there instead of memory (plan JSON can be large). */
export function runTerraform(terraform: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, stdoutFile?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const fd = stdoutFile ? openSync(stdoutFile, 'w') : undefined;
    const child = spawn(terraform, args, { cwd, env, stdio: ['ignore', fd ?? 'pipe', 'pipe'], timeout: COMMAND_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let finished = false;
    const finish = (code: number, extra = '') => {
      if (finished) return;
      finished = true;
      if (fd !== undefined) closeSync(fd);
      resolve({ code, stdout, stderr: stderr + extra });
    };
    child.on('error', (error) => finish(127, error.message));
    child.on('close', (code, signal) => finish(code ?? 1, signal ? `terraform ${args[0]} stopped by ${signal}` : ''));
  });
}
