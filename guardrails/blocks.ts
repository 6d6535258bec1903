/**
 * A stack as the guardrail rules see it: every Terraform block with its resolved
 * configuration (what Terraform reads), its construct path, its tags as Terraform will
 * apply them (provider `default_tags` merged with the block's own), and the policy
 * documents in its attributes. The values come from the stack's output, resolved once per
 * synthesis (stacks/stack-output.ts), so the cost is linear in the size of the stack.
 */
import { type TerraformElement, TerraformResource, type TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { renderedPolicyDocument } from '../constructs/common/policy';
import { hasInterpolation, soleReference } from '../kernel/hcl';
import { isPlainObject } from '../kernel/records';
import { resolveIn, stackElements, stackOutput } from '../stacks/stack-output';
import { asRecord, nestedBlocks, type Block, type BlockKind, type FoundPolicy, type ResolvedStatement, type StackView } from './rule';
import type { TenantDirectory } from './tenants';

/** Attributes that hold an IAM-syntax policy document on any resource type. */
const POLICY_ATTRIBUTES = new Set(['policy', 'assume_role_policy', 'policy_document']);
/** Organization policy types whose `content` is IAM syntax (tag and backup policies are not). */
const IAM_SYNTAX_ORGANIZATION_POLICIES = new Set(['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY']);

export interface StackBlock {
  readonly block: Block;
  /** The construct that produced the block; annotations and suppressions attach here. */
  readonly element: TerraformElement;
}

type Path = readonly (string | number)[];

function formatAttribute(path: Path): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/**
 * Visits every value; unresolved configuration also holds tokens (class instances, possibly
 * cyclic), which are not entered. The path is one array extended and shortened in place
 * (a new array per value was a tenth of the check's time): a visitor reads it, never keeps it.
 */
function walk(value: unknown, visit: (value: unknown, path: Path) => void, path: (string | number)[] = []): void {
  visit(value, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], visit, path);
      path.pop();
    }
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      path.push(key);
      walk(value[key], visit, path);
      path.pop();
    }
  }
}

function statementsOf(document: unknown): ResolvedStatement[] | undefined {
  const statement = asRecord(document)?.Statement;
  if (statement === undefined) return undefined;
  return nestedBlocks(statement) as ResolvedStatement[];
}

/** Policy documents: typed ones recorded by `renderPolicy`, literal JSON, or unreadable expressions. */
function policiesOf(type: string, raw: unknown, config: Readonly<Record<string, unknown>>, scope: IConstruct): FoundPolicy[] {
  const found = new Map<string, FoundPolicy>();
  walk(raw, (value, path) => {
    if (typeof value !== 'string') return;
    const document = renderedPolicyDocument(value);
    if (!document) return;
    const attribute = formatAttribute(path);
    found.set(attribute, { attribute, statements: statementsOf(resolveIn(scope, document)) ?? [] });
  });
  const consider = (value: unknown, path: Path) => {
    const attribute = formatAttribute(path);
    if (found.has(attribute) || typeof value !== 'string') return;
    if (hasInterpolation(value)) {
      found.set(attribute, { attribute });
      return;
    }
    try {
      found.set(attribute, { attribute, statements: statementsOf(JSON.parse(value)) });
    } catch {
      found.set(attribute, { attribute });
    }
  };
  // Kubernetes objects hold no IAM documents; their `policy` fields (Kueue's preemption policy) are enums.
  if (!type.startsWith('kubernetes_')) {
    walk(config, (value, path) => {
      const key = path[path.length - 1];
      if (typeof key === 'string' && POLICY_ATTRIBUTES.has(key)) consider(value, path);
    });
  }
  if (type === 'aws_organizations_policy' && IAM_SYNTAX_ORGANIZATION_POLICIES.has(String(config.type ?? 'SERVICE_CONTROL_POLICY'))) {
    consider(config.content, ['content']);
  }
  return [...found.values()];
}

interface Fragment {
  readonly kind: BlockKind;
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly raw: unknown;
}

/** The blocks in one element's `toTerraform()` output (a provider also declares `required_providers`, skipped). */
function fragmentsOf(resolved: Readonly<Record<string, unknown>>, raw: Readonly<Record<string, unknown>>): Fragment[] {
  const fragments: Fragment[] = [];
  const entries = (value: unknown) => Object.entries(asRecord(value) ?? {});
  for (const [top, section] of Object.entries(resolved)) {
    const rawSection = asRecord(raw[top]);
    if (top === 'resource' || top === 'data') {
      for (const [type, byName] of entries(section)) {
        for (const [name, config] of entries(byName)) {
          const address = top === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
          fragments.push({ kind: top, type, name, address, config: asRecord(config) ?? {}, raw: asRecord(asRecord(rawSection?.[type])?.[name]) });
        }
      }
    } else if (top === 'provider') {
      for (const [type, list] of entries(section)) {
        const rawList = rawSection?.[type];
        nestedBlocks(list).forEach((config, i) => {
          const alias = typeof config.alias === 'string' ? config.alias : undefined;
          fragments.push({
            kind: 'provider',
            type,
            name: alias ?? 'default',
            address: alias ? `provider.${type}.${alias}` : `provider.${type}`,
            config,
            raw: Array.isArray(rawList) ? rawList[i] : rawList,
          });
        });
      }
    } else if (top === 'output') {
      for (const [name, config] of entries(section)) {
        fragments.push({ kind: 'output', type: 'output', name, address: `output.${name}`, config: asRecord(config) ?? {}, raw: rawSection?.[name] });
      }
    } else if (top === 'terraform') {
      for (const [type, config] of entries(asRecord(section)?.backend)) {
        fragments.push({
          kind: 'backend',
          type,
          name: type,
          address: `terraform.backend.${type}`,
          config: asRecord(config) ?? {},
          raw: asRecord(rawSection?.backend)?.[type],
        });
      }
    } else {
      for (const [name, config] of entries(section)) {
        fragments.push({ kind: 'other', type: top, name, address: `${top}.${name}`, config: { value: config }, raw: rawSection?.[name] });
      }
    }
  }
  return fragments;
}

function withoutMetadata(config: Readonly<Record<string, unknown>>): { config: Readonly<Record<string, unknown>>; path?: string } {
  if (!('//' in config)) return { config };
  const { '//': metadata, ...rest } = config;
  const path = asRecord(asRecord(metadata)?.metadata)?.path;
  return { config: rest, path: typeof path === 'string' ? path : undefined };
}

/** Tag map of a provider's `default_tags`, keyed as resources name providers (`aws`, `aws.platform`). */
function providerDefaultTags(fragments: readonly Fragment[]): Map<string, Readonly<Record<string, unknown>>> {
  const tags = new Map<string, Readonly<Record<string, unknown>>>();
  for (const fragment of fragments) {
    if (fragment.kind !== 'provider') continue;
    const defaults = asRecord(nestedBlocks(fragment.config.default_tags)[0]?.tags);
    const key = fragment.name === 'default' ? fragment.type : `${fragment.type}.${fragment.name}`;
    if (defaults) tags.set(key, defaults);
  }
  return tags;
}

/** Whether the provider schema gives the resource type a `tags` argument (cdktf generates `tagsInput` for it). */
function isTaggable(element: TerraformElement): boolean {
  return TerraformResource.isTerraformResource(element) && 'tagsInput' in element;
}

function mergedTags(config: Readonly<Record<string, unknown>>, type: string, defaults: Map<string, Readonly<Record<string, unknown>>>): Block['tags'] {
  const own = config.tags;
  if (typeof own === 'string') return own;
  const provider = typeof config.provider === 'string' ? config.provider : type.split('_')[0];
  return { ...(defaults.get(provider) ?? {}), ...(asRecord(own) ?? {}) };
}

/**
 * The element's part of the stack's resolved configuration: each block its unresolved
 * configuration declares, as the stack's output holds it. Undefined if a block cannot be
 * found there unambiguously (a key or provider alias that is itself a token).
 */
export function partOfOutput(output: Readonly<Record<string, unknown>>, raw: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const part: Record<string, Record<string, unknown>> = {};
  const entries = (value: unknown) => Object.entries(asRecord(value) ?? {});
  const put = (top: string, key: string, value: unknown) => {
    if (value === undefined) return false;
    let section = part[top];
    if (section === undefined) {
      section = {};
      part[top] = section;
    }
    section[key] = value;
    return true;
  };
  for (const [top, section] of Object.entries(raw)) {
    const resolvedSection = asRecord(output[top]);
    if (top === 'resource' || top === 'data') {
      for (const [type, byName] of entries(section)) {
        const resolvedType = asRecord(resolvedSection?.[type]);
        const names: Record<string, unknown> = {};
        for (const [name] of entries(byName)) {
          if (resolvedType?.[name] === undefined) return undefined;
          names[name] = resolvedType[name];
        }
        put(top, type, names);
      }
    } else if (top === 'provider') {
      for (const [type, list] of entries(section)) {
        const declared = nestedBlocks(resolvedSection?.[type]);
        const blocks = [];
        for (const block of nestedBlocks(list)) {
          const matches = declared.filter((candidate) => candidate.alias === block.alias);
          if (matches.length !== 1) return undefined;
          blocks.push(matches[0]);
        }
        put(top, type, blocks);
      }
    } else if (top === 'terraform') {
      const backends: Record<string, unknown> = {};
      for (const [type] of entries(asRecord(section)?.backend)) {
        const backend = asRecord(asRecord(resolvedSection?.backend)?.[type]);
        if (!backend) return undefined;
        backends[type] = backend;
      }
      put(top, 'backend', backends);
    } else {
      for (const [name] of entries(section)) if (!put(top, name, resolvedSection?.[name])) return undefined;
    }
  }
  return part;
}

/**
 * Every block of the stack, in construct order. The resolved values come from the stack's
 * output (`stackOutput`, which the synth then writes without resolving the stack again);
 * each element's unresolved configuration says which blocks are its own.
 */
export function synthesizedBlocks(stack: TerraformStack): StackBlock[] {
  const elements = stackElements(stack);
  const output = stackOutput(stack);
  const perElement = elements.map((element) => {
    const raw = element.toTerraform() as Record<string, unknown>;
    const resolved = partOfOutput(output, raw) ?? ((resolveIn(stack, raw) ?? {}) as Record<string, unknown>);
    return { element, fragments: fragmentsOf(resolved, raw) };
  });
  const defaults = providerDefaultTags(perElement.flatMap((entry) => entry.fragments));
  const blocks: StackBlock[] = [];
  for (const { element, fragments } of perElement) {
    for (const fragment of fragments) {
      const { config, path } = withoutMetadata(fragment.config);
      const taggable = fragment.kind === 'resource' && isTaggable(element);
      blocks.push({
        element,
        block: {
          kind: fragment.kind,
          type: fragment.type,
          name: fragment.name,
          address: fragment.address,
          path: path ?? element.node.path,
          config,
          tags: taggable ? mergedTags(config, fragment.type, defaults) : undefined,
          policies: policiesOf(fragment.type, fragment.raw, config, element),
        },
      });
    }
  }
  return blocks;
}

/** The view rules get; attachment lookups are indexed on first use, once per (type, attribute). */
export function stackView(name: string, blocks: readonly Block[], tenants: TenantDirectory, tenant?: string): StackView {
  const indexes = new Map<string, Map<string, Block[]>>();
  const keyOf = (value: unknown): string | undefined => {
    if (typeof value !== 'string') return undefined;
    const reference = soleReference(value);
    const [name] = reference?.steps ?? [];
    if (typeof name === 'string') return `address:${reference?.root}.${name}`;
    return hasInterpolation(value) ? undefined : `literal:${value}`;
  };
  const indexOf = (type: string, attribute: string) => {
    const id = `${type} ${attribute}`;
    let index = indexes.get(id);
    if (!index) {
      index = new Map();
      for (const block of blocks) {
        if (block.kind !== 'resource' || block.type !== type) continue;
        const key = keyOf(block.config[attribute]);
        if (key === undefined) continue;
        const list = index.get(key) ?? [];
        list.push(block);
        index.set(key, list);
      }
      indexes.set(id, index);
    }
    return index;
  };
  return {
    name,
    tenant,
    blocks,
    tenants,
    attachedTo(target, type, attribute = 'bucket') {
      const index = indexOf(type, attribute);
      const byReference = index.get(`address:${target.address}`) ?? [];
      const literal = keyOf(target.config[attribute]);
      const byName = literal?.startsWith('literal:') ? (index.get(literal) ?? []) : [];
      return [...new Set([...byReference, ...byName])];
    },
  };
}
