/**
 * The rule pack as a cdktf Aspect on every stack. A failing error-level rule adds an error
 * annotation to the offending resource, which fails the synth; a warning-level rule adds
 * a warning annotation.
 *
 * Why the check runs after the aspect pass rather than inside `visit`: other aspects (for
 * instance `useProvider`, which assigns the platform account's provider to a subtree) are
 * invoked on the same nodes during the same pass, after an aspect inherited from the
 * stack. Checking at visit time would see half-configured resources (no provider, so the
 * wrong default tags). `visit(stack)` therefore registers the check as the stack's custom
 * synthesis step, which cdktf runs after all aspects and validations and before it
 * collects annotations and writes the stack.
 */
import { Annotations, Aspects, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { addCustomSynthesis } from '../constructs/common/cdktf-internals';
import { checkStack, formatFinding, type StackResult } from './check';
import { PLATFORM_GUARDRAILS } from './pack';
import type { GuardrailRule } from './rule';
import { TenantDirectory } from './tenants';

export interface GuardrailOptions {
  /** @default PLATFORM_GUARDRAILS */
  readonly pack?: readonly GuardrailRule[];
  /** Set for a tenant stack: the tenant it belongs to. */
  readonly tenant?: string;
  /** Every tenant's identifiers, for the cross-tenant rule. @default none */
  readonly tenants?: TenantDirectory;
}

export class GuardrailAspect implements IAspect {
  private checkedStack?: TerraformStack;
  private stackResult?: StackResult;

  constructor(private readonly options: GuardrailOptions = {}) {}

  get pack(): readonly GuardrailRule[] {
    return this.options.pack ?? PLATFORM_GUARDRAILS;
  }

  /** The outcome, once the stack has been synthesized. */
  get result(): StackResult | undefined {
    return this.stackResult;
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.checkedStack !== undefined) return;
    this.checkedStack = node;
    addCustomSynthesis(node, { onSynthesize: () => this.check(node) });
  }

  private check(stack: TerraformStack): void {
    if (this.stackResult) return;
    const { result, attributed } = checkStack(stack, this.pack, { tenant: this.options.tenant, tenants: this.options.tenants ?? TenantDirectory.empty() });
    for (const { finding, element } of attributed) {
      if (finding.severity === 'error') Annotations.of(element).addError(formatFinding(finding));
      else Annotations.of(element).addWarning(formatFinding(finding));
    }
    this.stackResult = result;
  }
}

export function guardrailAspectOf(stack: TerraformStack): GuardrailAspect | undefined {
  return Aspects.of(stack).all.find((aspect): aspect is GuardrailAspect => aspect instanceof GuardrailAspect);
}

/** Applies the pack to one stack; once per stack. */
export function applyGuardrails(stack: TerraformStack, options: GuardrailOptions = {}): GuardrailAspect {
  if (guardrailAspectOf(stack)) throw new Error(`guardrails are already applied to stack ${stack.node.id}`);
  const aspect = new GuardrailAspect(options);
  Aspects.of(stack).add(aspect);
  return aspect;
}
