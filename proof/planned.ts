/**
 * Policy documents from the offline plan (`npm run plan:offline`): Terraform's planned
 * values, resolved by Terraform itself, replace the proof's own resolution wherever the
 * plan knows the whole document. Where the plan does not (no plan.json for the stack, or
 * an attribute Terraform knows only after apply, such as a policy naming a bucket's ARN),
 * the proof's resolver supplies it.
 *
 * The plan's values depend on the offline plan's placeholder state: account ids, the
 * cluster's issuer and other cross-stack values are the placeholders that
 * kernel/placeholders.ts gives it. So that the proof's model (tenant accounts,
 * organization placements, the issuer) names the same identities as the planned
 * documents, `OfflinePlanAttributes` gives every attribute a stack exports the very value
 * the offline plan gave it, computed by the same functions.
 */
import { existsSync, statSync } from 'node:fs';
import { InputError } from '../kernel/errors';
import { placeholderState, sourceOfExpression, sourceOfOutputName } from '../kernel/placeholders';
import { type PlanJson, planJsonPath, readPlanJson } from '../kernel/plan-json';
import type { SynthesizedStack } from '../kernel/synth-output';
import type { HclValue, TraversalStep } from '../kernel/hcl';
import {
  formatLocation,
  PlaceholderAttributes,
  resourceAddress,
  type ComputedAttributes,
  type PolicyAttribute,
  type PolicySource,
  type ResourceRef,
  type Resolver,
  type SynthStack,
} from './resolve';
import { isRecord } from '../kernel/records';

function attributeKey(stack: string, type: string, name: string, attribute: string): string {
  return `${stack}\u0000${type}.${name}\u0000${attribute}`;
}

/**
 * The offline plan's placeholder for every attribute a stack exports as an output, so the
 * proof resolves cross-stack values (vended account ids, the cluster's issuer) as the plan
 * did; every other computed attribute keeps the proof's own placeholder.
 */
export class OfflinePlanAttributes implements ComputedAttributes {
  private readonly exported = new Map<string, string>();
  private readonly fallback = new PlaceholderAttributes();

  constructor(stacks: readonly SynthStack[]) {
    for (const stack of stacks) {
      const upstream: SynthesizedStack = { name: stack.name, file: stack.file, config: stack.json };
      const state = placeholderState(upstream);
      const outputs = stack.json.output;
      if (!isRecord(outputs)) continue;
      for (const [name, output] of Object.entries(outputs)) {
        const value = isRecord(output) ? output.value : undefined;
        // Only a plain reference names one attribute; the proof resolves any other output expression itself.
        const source = sourceOfExpression(value) ?? (value === undefined ? sourceOfOutputName(name) : undefined);
        const placeholder = state.outputs[name]?.value;
        if (source && placeholder !== undefined)
          this.exported.set(attributeKey(stack.name, source.resourceType, source.resourceName, source.attribute), placeholder);
      }
    }
  }

  attribute(ref: ResourceRef, steps: readonly TraversalStep[], resolver: Resolver): HclValue | undefined {
    const attribute = steps.filter((step): step is string => typeof step === 'string').join('.');
    return this.exported.get(attributeKey(ref.stack, ref.type, ref.name, attribute)) ?? this.fallback.attribute(ref, steps, resolver);
  }
}

interface PlannedResource {
  readonly after: Record<string, unknown>;
  readonly afterUnknown: Record<string, unknown>;
}

const ACCOUNT_ID = /(?<!\d)\d{12}(?!\d)/g;

/** 12-digit account ids in a policy value, as text. */
function accountIds(value: HclValue | undefined): string[] {
  if (value === undefined) return [];
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return [...new Set(text.match(ACCOUNT_ID) ?? [])];
}

export interface PolicySourceCounts {
  /** Policy documents taken from planned values. */
  readonly planned: number;
  /** Policy documents resolved by the proof (no plan for the stack, or not fully known in it). */
  readonly resolved: number;
  /** Stacks with a plan.json. */
  readonly stacksWithPlan: number;
}

/** A planned document that names an account the synthesized output does not: plan and synth disagree. */
export interface AccountMismatch {
  readonly location: string;
  readonly accounts: readonly string[];
}

/** Reads each stack's plan.json under a `plan:offline` working directory and serves fully known policy documents from it. */
export class PlannedPolicies implements PolicySource {
  private readonly plans = new Map<string, Map<string, PlannedResource>>();
  private readonly sources = new Map<string, 'planned' | 'resolved'>();
  private readonly plannedAccounts = new Map<string, string[]>();
  private readonly resolvedAccounts = new Set<string>();

  constructor(
    readonly dir: string,
    stackNames: readonly string[],
  ) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new InputError(`${dir}: offline plan directory not found: run 'npm run plan:offline -- --plans ${dir}' first, or drop --plans`);
    }
    for (const stack of stackNames) {
      const file = planJsonPath(dir, stack);
      if (!existsSync(file)) continue;
      let plan: PlanJson;
      try {
        plan = readPlanJson(file);
      } catch (error) {
        throw new InputError(`${file}: not valid plan JSON (${(error as Error).message}): run 'npm run plan:offline' again`);
      }
      const resources = new Map<string, PlannedResource>();
      for (const change of plan.resource_changes ?? []) {
        if (change.mode !== 'managed' || !isRecord(change.change.after)) continue;
        resources.set(change.address, { after: change.change.after, afterUnknown: isRecord(change.change.after_unknown) ? change.change.after_unknown : {} });
      }
      this.plans.set(stack, resources);
    }
    if (this.plans.size === 0) {
      throw new InputError(
        `${dir}: no <stack>/plan.json for any stack of the synthesized output: run 'npm run plan:offline -- --synth <synth dir> --plans ${dir}'`,
      );
    }
  }

  policy(ref: ResourceRef, attribute: PolicyAttribute, resolved: HclValue | undefined): HclValue | undefined {
    const location = formatLocation({
      stack: ref.stack,
      address: resourceAddress(ref),
      attribute: attribute.inline === undefined ? attribute.name : `${attribute.name}[${attribute.inline}]`,
    });
    for (const id of accountIds(resolved)) this.resolvedAccounts.add(id);
    const planned = this.plannedValue(ref, attribute);
    this.sources.set(location, planned === undefined ? 'resolved' : 'planned');
    if (planned === undefined) return resolved;
    this.plannedAccounts.set(location, accountIds(planned));
    return planned;
  }

  /** The attribute's JSON string when the plan knows all of it; undefined when unknown or absent. */
  private plannedValue(ref: ResourceRef, attribute: PolicyAttribute): string | undefined {
    const resource = this.plans.get(ref.stack)?.get(resourceAddress(ref));
    if (!resource) return undefined;
    const after = resource.after[attribute.name];
    const unknown = resource.afterUnknown[attribute.name];
    if (attribute.inline === undefined) return typeof after === 'string' && unknown !== true ? after : undefined;
    if (!Array.isArray(after) || unknown === true) return undefined;
    // inline_policy is a set: find the block by name; after_unknown lists the same blocks in the same order.
    const index = after.findIndex((block) => isRecord(block) && block.name === attribute.inline);
    const block: unknown = after[index];
    const blockUnknown: unknown = Array.isArray(unknown) ? unknown[index] : undefined;
    if (index < 0 || !isRecord(block) || typeof block.policy !== 'string') return undefined;
    if (blockUnknown === true || (isRecord(blockUnknown) && blockUnknown.policy === true)) return undefined;
    return block.policy;
  }

  counts(): PolicySourceCounts {
    const values = [...this.sources.values()];
    return { planned: values.filter((v) => v === 'planned').length, resolved: values.filter((v) => v === 'resolved').length, stacksWithPlan: this.plans.size };
  }

  /**
   * Planned documents naming an account that neither the proof's model (`known`) nor any
   * document the proof resolved names: the plan is from another synth, or its placeholders
   * differ from the proof's, and its documents would be proved against the wrong identities.
   */
  accountMismatches(known: ReadonlySet<string>): AccountMismatch[] {
    const found: AccountMismatch[] = [];
    for (const [location, accounts] of this.plannedAccounts) {
      const strange = accounts.filter((id) => !known.has(id) && !this.resolvedAccounts.has(id));
      if (strange.length > 0) found.push({ location, accounts: strange });
    }
    return found;
  }
}
