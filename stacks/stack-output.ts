/**
 * A stack's synthesized configuration (`toTerraform()`), computed once per synthesis of the
 * stack. The guardrail check reads the configuration just before cdktf writes it, and
 * resolving every element of every stack twice was a sixth of the synth time. Within
 * `keepingStackOutput(stack, ...)`, which brackets one stack's synthesis, the first
 * computation is kept and the write reuses it (`PlatformStack.toTerraform`); outside it,
 * every call computes afresh, so a stack changed between two synths is never read stale.
 */
import type { TerraformStack } from 'cdktf';

interface Slot {
  output?: Readonly<Record<string, unknown>>;
}

const slots = new WeakMap<TerraformStack, Slot>();

/** Runs one synthesis of `stack`, keeping its configuration between the check and the write. */
export function keepingStackOutput<T>(stack: TerraformStack, run: () => T): T {
  slots.set(stack, {});
  try {
    return run();
  } finally {
    slots.delete(stack);
  }
}

/** The configuration kept by this synthesis of `stack`, if it was computed already. */
export function keptStackOutput(stack: TerraformStack): Readonly<Record<string, unknown>> | undefined {
  return slots.get(stack)?.output;
}

/** The stack's resolved configuration, as cdktf writes it; read-only, as it may be written afterwards. */
export function stackOutput(stack: TerraformStack): Readonly<Record<string, unknown>> {
  const slot = slots.get(stack);
  if (slot?.output) return slot.output;
  const output = stack.toTerraform() as Readonly<Record<string, unknown>>;
  if (slot) slot.output = output;
  return output;
}
