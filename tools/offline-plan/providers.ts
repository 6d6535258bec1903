/**
 * Provider addresses and what a Terraform filesystem mirror holds. A mirror is laid out as
 * `<host>/<namespace>/<type>/<version>/<os>_<arch>/` (unpacked) or
 * `<host>/<namespace>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip` (packed).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { isRecord, recordAt } from '../../kernel/records';
import type { TerraformJson } from './types';

const DEFAULT_HOST = 'registry.terraform.io';
const DEFAULT_NAMESPACE = 'hashicorp';

/** `aws`, `hashicorp/aws` or `registry.terraform.io/hashicorp/aws` -> the full address. */
export function providerAddress(source: string): string {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) return `${DEFAULT_HOST}/${DEFAULT_NAMESPACE}/${parts[0]}`;
  if (parts.length === 2) return `${DEFAULT_HOST}/${parts[0]}/${parts[1]}`;
  return parts.join('/');
}

export interface RequiredProvider {
  readonly localName: string;
  readonly address: string;
  /** The version constraint as written, e.g. `5.100.0` or `~> 5.0`. */
  readonly version?: string;
}

/** Providers the configuration needs: `required_providers`, plus ones implied by block types. */
export function requiredProviders(config: TerraformJson): RequiredProvider[] {
  const found = new Map<string, RequiredProvider>();
  for (const [localName, entry] of Object.entries(recordAt(config, 'terraform', 'required_providers') ?? {})) {
    const source = isRecord(entry) && typeof entry.source === 'string' ? entry.source : localName;
    const version = isRecord(entry) && typeof entry.version === 'string' ? entry.version : typeof entry === 'string' ? entry : undefined;
    found.set(localName, { localName, address: providerAddress(source), version });
  }
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, blocks] of Object.entries(recordAt(config, kind) ?? {})) {
      const localNames = Object.values(isRecord(blocks) ? blocks : {}).map((block) => providerLocalName(type, block));
      for (const localName of localNames) {
        if (!found.has(localName) && localName !== BUILTIN_PROVIDER) found.set(localName, { localName, address: providerAddress(localName) });
      }
    }
  }
  return [...found.values()];
}

/** `terraform_remote_state` and `terraform_data` come with Terraform itself. */
export const BUILTIN_PROVIDER = 'terraform';

/** The local provider name a block uses: its `provider` meta-argument, else the type's prefix. */
export function providerLocalName(type: string, block: unknown): string {
  const explicit = isRecord(block) && typeof block.provider === 'string' ? block.provider : undefined;
  return explicit ? explicit.split('.')[0] : type.split('_')[0];
}

/** The machine's platform in Terraform's spelling, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const arch = ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' } as Record<string, string>)[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** Versions of each provider a mirror holds for this machine's platform. */
export type MirrorContents = ReadonlyMap<string, readonly string[]>;

function directories(dir: string): string[] {
  try {
    return readdirSync(dir).filter((entry) => statSync(path.join(dir, entry)).isDirectory());
  } catch {
    return [];
  }
}

export function readMirror(mirrorDir: string, platform = terraformPlatform()): MirrorContents {
  const contents = new Map<string, string[]>();
  for (const host of directories(mirrorDir)) {
    for (const namespace of directories(path.join(mirrorDir, host))) {
      for (const type of directories(path.join(mirrorDir, host, namespace))) {
        const typeDir = path.join(mirrorDir, host, namespace, type);
        const versions = directories(typeDir).filter((version) => existsSync(path.join(typeDir, version, platform)));
        const packed = readdirSync(typeDir)
          .map((entry) => new RegExp(`^terraform-provider-${type}_(.+)_${platform}\\.zip$`).exec(entry)?.[1])
          .filter((version): version is string => version !== undefined);
        const all = [...new Set([...versions, ...packed])];
        if (all.length > 0) contents.set(`${host}/${namespace}/${type}`.toLowerCase(), all);
      }
    }
  }
  return contents;
}

/**
 * Whether the mirror can satisfy the provider. An exact version (`5.100.0`, `= 5.100.0`)
 * must be present; for a range any version counts here and `terraform init` has the last word.
 */
export function mirrorHas(mirror: MirrorContents, provider: RequiredProvider): boolean {
  const versions = mirror.get(provider.address);
  if (!versions || versions.length === 0) return false;
  const exact = /^\s*=?\s*v?(\d+\.\d+\.\d+\S*)\s*$/.exec(provider.version ?? '')?.[1];
  return exact === undefined || versions.includes(exact);
}

/** Where Terraform looks for local providers on this machine, besides an explicit mirror. */
export function implicitMirrorDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(Boolean);
  return [
    '/opt/tf-plugins',
    path.join(homedir(), '.terraform.d', 'plugins'),
    path.join(env.XDG_DATA_HOME || path.join(homedir(), '.local', 'share'), 'terraform', 'plugins'),
    ...dataDirs.map((dir) => path.join(dir, 'terraform', 'plugins')),
  ];
}

/** The mirror to use: `TF_PLUGIN_MIRROR` when set (and then only it), else the first non-empty known location. */
export function findMirror(env: NodeJS.ProcessEnv = process.env): { dir?: string; looked: string[] } {
  const explicit = env.TF_PLUGIN_MIRROR;
  const candidates = explicit ? [explicit] : implicitMirrorDirs(env);
  const dir = candidates.find((candidate) => existsSync(candidate) && readMirror(candidate).size > 0);
  return { dir: dir && path.resolve(dir), looked: candidates };
}
