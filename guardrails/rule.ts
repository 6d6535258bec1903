/**
 * What a guardrail rule is: a pure function over one synthesized block of a stack (a
 * resource, data source, provider, output or backend) and a small view of its stack. The
 * values it sees are resolved, i.e. exactly what Terraform reads: references appear as
 * `${aws_s3_bucket.name.arn}` strings.
 */
import type { TenantDirectory } from './tenants';
import { asRecord } from '../kernel/records';

export type Severity = 'error' | 'warning';

export type BlockKind = 'resource' | 'data' | 'provider' | 'output' | 'backend' | 'other';

/** A policy statement after resolution: references are `${...}` strings. */
export interface ResolvedStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

/** A policy document held in an attribute of a block. */
export interface FoundPolicy {
  /** Attribute path in Terraform's names, e.g. `inline_policy[0].policy`. */
  readonly attribute: string;
  /** The statements, or undefined when the value is an expression the guardrails cannot read. */
  readonly statements?: readonly ResolvedStatement[];
}

export interface Block {
  readonly kind: BlockKind;
  /** Terraform type (`aws_s3_bucket`), provider name (`aws`), or the block name for outputs and backends. */
  readonly type: string;
  /** Logical id (`buckets_datasets_7275800A`); for providers the alias or `default`. */
  readonly name: string;
  /** `aws_s3_bucket.<name>`, `data.<type>.<name>`, `provider.aws.<alias>`, ... */
  readonly address: string;
  /** Construct path, e.g. `tenant-a/buckets/datasets`. */
  readonly path: string;
  /** The resolved configuration, without cdktf's `//` metadata. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Provider `default_tags` merged with the block's `tags`; undefined when the resource type takes no tags. */
  readonly tags?: Readonly<Record<string, unknown>> | string;
  /** Every policy document in the block's attributes. */
  readonly policies: readonly FoundPolicy[];
}

export interface StackView {
  readonly name: string;
  /** The tenant a tenant stack belongs to; undefined for platform stacks. */
  readonly tenant?: string;
  readonly blocks: readonly Block[];
  /** Blocks of `type` whose `attribute` names `target`, by reference or by its literal name. */
  attachedTo(target: Block, type: string, attribute?: string): readonly Block[];
  /** Identifiers of every tenant of the platform, for the cross-tenant rule. */
  readonly tenants: TenantDirectory;
}

export interface Violation {
  /** What is wrong, as a sentence fragment without a final period. */
  readonly problem: string;
  /** What to change. */
  readonly fix: string;
}

/** Violations found; an empty list means the block complies; undefined means the rule does not apply. */
export type Verdict = readonly Violation[] | undefined;

export type RuleCheck = (block: Block, stack: StackView) => Verdict;

export interface GuardrailRule {
  /** Stable id, e.g. `MLP-S3-1`; suppressions name it. */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule guarantees. */
  readonly description: string;
  readonly check: RuleCheck;
}

/** Helpers rules share for reading resolved values (asRecord is the kernel's). */
export { asRecord };

/** A nested block as cdktf renders it: an object, or a list of objects. */
export function nestedBlocks(value: unknown): Readonly<Record<string, unknown>>[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.map(asRecord).filter((item): item is Readonly<Record<string, unknown>> => item !== undefined);
}

export function asStringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}
