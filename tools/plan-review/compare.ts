/**
 * What Terraform would do to one stack, read from the configuration alone: blocks are
 * matched by address; a changed block lists its changed attributes, old → new, leaving
 * out those its `lifecycle.ignore_changes` names. A change to an attribute the provider
 * cannot update in place, or a data-bearing resource whose address changed, is a
 * replacement.
 *
 * Attributes come from Terraform's planned values when both sides of a block have them
 * (an offline plan of the stack on each side), else from the synthesized configuration of
 * both sides: planned values hold every provider default, so comparing them with a
 * configuration would list each default as a change.
 */
import { flatten, ignoredAttributes, type ReviewBlock, type BlockKind, type StackBlocks } from './blocks';
import { forcesReplacement, isDataBearing, isIgnored } from './replacement';
import { isRecord } from '../../kernel/records';

export type Action = 'create' | 'update' | 'delete' | 'replace';

export interface AttributeChange {
  readonly path: string;
  /** undefined: the attribute is not set on that side. */
  readonly before: unknown;
  readonly after: unknown;
  readonly forcesReplacement: boolean;
}

export interface BlockChange {
  readonly stack: string;
  readonly action: Action;
  /** The head address; the base address for a delete. */
  readonly address: string;
  /** For a data-bearing resource replaced under a new address: the address it had. */
  readonly previousAddress?: string;
  readonly kind: BlockKind;
  readonly type: string;
  readonly path?: string;
  readonly attributes: readonly AttributeChange[];
  readonly dataBearing: boolean;
  /** `lifecycle.prevent_destroy` was on in the base and is off in the head. */
  readonly protectionRemoved: boolean;
  /** The head block, or the base block for a delete. */
  readonly block: ReviewBlock;
}

function preventsDestroy(block: ReviewBlock): boolean {
  const lifecycle = block.config.lifecycle;
  return isRecord(lifecycle) && lifecycle.prevent_destroy === true;
}

/** True when both sides are compared by planned values. */
function bothPlanned(base: ReviewBlock, head: ReviewBlock): boolean {
  return base.planned !== undefined && head.planned !== undefined;
}

/** Changed attributes of one block, sorted by path; ignored attributes left out. */
export function attributeChanges(base: ReviewBlock, head: ReviewBlock): AttributeChange[] {
  const planned = bothPlanned(base, head);
  const before = flatten(planned ? base.planned : base.config);
  const after = flatten(planned ? head.planned : head.config);
  const ignored = head.kind === 'resource' ? ignoredAttributes(head.config) : [];
  const paths = new Set([...before.keys(), ...after.keys()]);
  const changes: AttributeChange[] = [];
  for (const path of [...paths].sort()) {
    const b = before.get(path);
    const a = after.get(path);
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    if (!path.startsWith('lifecycle.') && isIgnored(path, ignored)) continue;
    changes.push({ path, before: b, after: a, forcesReplacement: head.kind === 'resource' && forcesReplacement(head.type, path) });
  }
  return changes;
}

function change(stack: string, action: Action, block: ReviewBlock, extra: Partial<BlockChange> = {}): BlockChange {
  return {
    stack,
    action,
    address: block.address,
    kind: block.kind,
    type: block.type,
    path: block.path,
    attributes: [],
    dataBearing: block.kind === 'resource' && isDataBearing(block.type),
    protectionRemoved: false,
    block,
    ...extra,
  };
}

const byPath = (a: ReviewBlock, b: ReviewBlock) => ((a.path ?? a.address) < (b.path ?? b.address) ? -1 : (a.path ?? a.address) > (b.path ?? b.address) ? 1 : 0);

/**
 * Every change between the two versions of one stack; a missing side means the stack is
 * added or removed. `ownerOf` keeps a removed resource from being paired with an added
 * one of another owner (in the organization stack, another tenant's account).
 */
export function compareBlocks(
  stack: string,
  base: StackBlocks | undefined,
  head: StackBlocks | undefined,
  ownerOf: (block: ReviewBlock) => string | undefined = () => undefined,
): BlockChange[] {
  const changes: BlockChange[] = [];
  const removed: ReviewBlock[] = [];
  const added: ReviewBlock[] = [];
  for (const [address, headBlock] of head ?? []) {
    const baseBlock = base?.get(address);
    if (!baseBlock) {
      added.push(headBlock);
      continue;
    }
    if (bothPlanned(baseBlock, headBlock) ? baseBlock.plannedJson === headBlock.plannedJson : baseBlock.json === headBlock.json) continue;
    const attributes = attributeChanges(baseBlock, headBlock);
    if (attributes.length === 0) continue;
    const replaced = attributes.some((a) => a.forcesReplacement);
    changes.push(
      change(stack, replaced ? 'replace' : 'update', headBlock, { attributes, protectionRemoved: preventsDestroy(baseBlock) && !preventsDestroy(headBlock) }),
    );
  }
  for (const [address, baseBlock] of base ?? []) if (!head?.has(address)) removed.push(baseBlock);

  // A data-bearing resource under a new address is a new resource: the old one goes.
  const pairKey = (block: ReviewBlock) => `${block.type} ${ownerOf(block) ?? ''}`;
  const addedData = new Map<string, ReviewBlock[]>();
  for (const block of added.sort(byPath)) {
    if (block.kind === 'resource' && isDataBearing(block.type)) addedData.set(pairKey(block), [...(addedData.get(pairKey(block)) ?? []), block]);
  }
  const pairedAdds = new Set<ReviewBlock>();
  for (const block of removed.sort(byPath)) {
    const candidate = block.kind === 'resource' ? addedData.get(pairKey(block))?.shift() : undefined;
    if (candidate) {
      pairedAdds.add(candidate);
      changes.push(change(stack, 'replace', candidate, { previousAddress: block.address, attributes: attributeChanges(block, candidate) }));
    } else {
      changes.push(change(stack, 'delete', block));
    }
  }
  for (const block of added) if (!pairedAdds.has(block)) changes.push(change(stack, 'create', block));
  return changes.sort((a, b) => byPath(a.block, b.block));
}
