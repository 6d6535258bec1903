import { isRecord } from '../../kernel/records';
/**
 * A stack as a map from Terraform address to block: resources (`<type>.<name>`), data
 * sources (`data.<type>.<name>`), providers, outputs and the `terraform` settings. Blocks
 * are compared by address, so comparing two stacks is linear in their size.
 */

export type BlockKind = 'resource' | 'data' | 'provider' | 'output' | 'terraform' | 'other';

export interface ReviewBlock {
  readonly address: string;
  readonly kind: BlockKind;
  /** Resource or data type (`aws_s3_bucket`), provider name, or the top-level key. */
  readonly type: string;
  /** Construct path without the stack name (`buckets/datasets`), when cdktf recorded one. */
  readonly path?: string;
  /** The block's configuration without cdktf's `//` metadata. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Canonical JSON of `config`, for equality. */
  readonly json: string;
  /**
   * Terraform's planned values for the block (from an offline plan), with the config's
   * `lifecycle`; absent when the stack has no plan or the plan leaves the block out.
   */
  readonly planned?: Readonly<Record<string, unknown>>;
  /** Canonical JSON of `planned`. */
  readonly plannedJson?: string;
}

export type StackBlocks = ReadonlyMap<string, ReviewBlock>;

function withoutMetadata(value: unknown): { config: Record<string, unknown>; path?: string } {
  if (!isRecord(value)) return { config: { value } };
  const { '//': metadata, ...config } = value;
  const recorded = isRecord(metadata) && isRecord(metadata.metadata) ? metadata.metadata.path : undefined;
  const path = typeof recorded === 'string' ? recorded.slice(recorded.indexOf('/') + 1) : undefined;
  return { config, path };
}

function add(blocks: Map<string, ReviewBlock>, address: string, kind: BlockKind, type: string, value: unknown): void {
  const { config, path } = withoutMetadata(value);
  blocks.set(address, { address, kind, type, path, config, json: JSON.stringify(config) });
}

/** Every block of a parsed `cdk.tf.json`, keyed by address. */
export function blocksOf(stack: Readonly<Record<string, unknown>>): StackBlocks {
  const blocks = new Map<string, ReviewBlock>();
  for (const [key, section] of Object.entries(stack)) {
    if (key === '//') continue;
    if ((key === 'resource' || key === 'data') && isRecord(section)) {
      for (const [type, byName] of Object.entries(section)) {
        if (!isRecord(byName)) continue;
        for (const [name, value] of Object.entries(byName)) {
          add(blocks, key === 'resource' ? `${type}.${name}` : `data.${type}.${name}`, key, type, value);
        }
      }
    } else if (key === 'provider' && isRecord(section)) {
      for (const [type, configs] of Object.entries(section)) {
        for (const value of Array.isArray(configs) ? configs : [configs]) {
          const alias = isRecord(value) && typeof value.alias === 'string' ? value.alias : undefined;
          add(blocks, alias ? `provider.${type}.${alias}` : `provider.${type}`, 'provider', type, value);
        }
      }
    } else if (key === 'output' && isRecord(section)) {
      for (const [name, value] of Object.entries(section)) add(blocks, `output.${name}`, 'output', 'output', value);
    } else if (key === 'terraform' && isRecord(section)) {
      for (const [name, value] of Object.entries(section)) add(blocks, `terraform.${name}`, 'terraform', name, value);
    } else {
      add(blocks, key, 'other', key, section);
    }
  }
  return blocks;
}

/** The blocks with Terraform's planned values attached where the plan has their address. */
export function withPlannedValues(blocks: StackBlocks, planned: ReadonlyMap<string, Readonly<Record<string, unknown>>>): StackBlocks {
  const out = new Map<string, ReviewBlock>();
  for (const [address, block] of blocks) {
    const values = block.kind === 'resource' || block.kind === 'data' ? planned.get(address) : undefined;
    if (!values) {
      out.set(address, block);
      continue;
    }
    // lifecycle is configuration only; keeping it shows a prevent_destroy change either way.
    const withLifecycle = block.config.lifecycle === undefined ? values : { ...values, lifecycle: block.config.lifecycle };
    out.set(address, { ...block, planned: withLifecycle, plannedJson: JSON.stringify(withLifecycle) });
  }
  return out;
}

/** Flattens a configuration into `path → value` leaves; lists of scalars stay whole for readability. */
export function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) out.set(prefix, value);
    for (const key of keys) flatten(value[key], prefix ? `${prefix}.${key}` : key, out);
  } else if (Array.isArray(value) && value.some((item) => typeof item === 'object' && item !== null)) {
    for (const [i, item] of value.entries()) flatten(item, `${prefix}[${i}]`, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** `lifecycle.ignore_changes` of a resource, as attribute paths without list indices. */
export function ignoredAttributes(config: Readonly<Record<string, unknown>>): readonly string[] {
  const lifecycle = config.lifecycle;
  if (!isRecord(lifecycle)) return [];
  if (lifecycle.ignore_changes === 'all') return [''];
  if (!Array.isArray(lifecycle.ignore_changes)) return [];
  return lifecycle.ignore_changes.filter((entry): entry is string => typeof entry === 'string').map(withoutIndices);
}

export function withoutIndices(attributePath: string): string {
  return attributePath.replace(/\[\d+\]/g, '');
}

/** True when the block's own tags name a tenant (organization-stack resources do). */
export function tenantTag(block: ReviewBlock): string | undefined {
  const tags = block.config.tags;
  return isRecord(tags) && typeof tags.tenant === 'string' ? tags.tenant : undefined;
}
