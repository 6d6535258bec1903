/**
 * A stack's synthesized configuration, resolved once per synthesis instead of three times.
 *
 * cdktf resolves every element of every stack when it prepares the stacks (to find
 * cross-stack references) and again when it writes them, and the guardrail check reads the
 * same configuration in between. Within `resolvingOnce(app, ...)`, which brackets one
 * `app.synth()` of the platform:
 * - `PlatformStack.prepareStack` keeps each element's resolution (cdktf resolves exactly the
 *   same values while preparing: a reference to another stack already renders as that
 *   stack's output); elements added later (cross-stack outputs and remote states) are
 *   resolved when the stack is assembled;
 * - `stackOutput` assembles the stack's configuration from them once, as cdktf's
 *   `TerraformStack.toTerraform` does; the check reads it and the synth writes it
 *   (`PlatformStack.toTerraform`), which releases it.
 * Aspects run before the stacks are prepared, as an element an aspect changes after
 * preparing would be kept stale (cdktf runs them after preparing, and again here, to no
 * effect: the platform's aspects set what is unset and register once). Outside the bracket
 * everything is computed afresh, so a stack changed between two synths is never read stale.
 */
import { App, DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack, Tokenization } from 'cdktf';
// Not exported from the package root; the pinned cdktf (0.21.0). test/stacks/stack-output.test.ts pins the result against cdktf's own.
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { deepMerge } from 'cdktf/lib/util';
import type { IConstruct } from 'constructs';

type Configuration = Record<string, unknown>;

/**
 * Each element's configuration as preparing resolved it, as JSON text: every stack's is
 * held from preparing until the stack is written, and as objects they doubled the peak
 * memory (and the garbage collector's work). Resolved configuration is plain JSON data, so
 * the text holds it exactly.
 */
interface PreparedStack {
  readonly elements: readonly TerraformElement[];
  readonly resolved: string;
}

interface StackSynthesis {
  /** Until the output is assembled. */
  prepared?: PreparedStack;
  output?: Readonly<Configuration>;
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());
const appsResolvingOnce = new WeakSet<IConstruct>();
const syntheses = new WeakMap<TerraformStack, StackSynthesis>();

function resolveIn(stack: TerraformStack, value: unknown, preparing: boolean): unknown {
  return Tokenization.resolve(value, { scope: stack, preparing, resolver: RESOLVER });
}

/** The stack's elements in cdktf's order (construct order, not entering nested stacks). */
function elementsOf(stack: TerraformStack): TerraformElement[] {
  return stack.node.findAll().filter((node): node is TerraformElement => TerraformElement.isTerraformElement(node) && node.cdktfStack === stack);
}

/** Runs `synth` (the app's `synth()`) resolving each stack once. */
export function resolvingOnce<T>(app: App, synth: () => T): T {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  for (const stack of stacks) invokeAspects(stack);
  appsResolvingOnce.add(app);
  try {
    return synth();
  } finally {
    appsResolvingOnce.delete(app);
    for (const stack of stacks) syntheses.delete(stack);
  }
}

/**
 * cdktf's `prepareStack`, keeping what it resolves when the app resolves once. Returns
 * false when the app does not, for the caller to run cdktf's own.
 */
export function prepareKeepingResolution(stack: TerraformStack): boolean {
  if (!appsResolvingOnce.has(App.of(stack))) return false;
  stack.ensureBackendExists();
  const elements = elementsOf(stack);
  // Each element's resolution becomes text at once: objects kept for the whole stack survived young-generation collections.
  const resolved = `[${elements.map((element) => JSON.stringify(resolveIn(stack, element.toTerraform(), true) ?? {})).join(',')}]`;
  syntheses.set(stack, { prepared: { elements, resolved } });
  return true;
}

/** What cdktf's `TerraformStack.toTerraform` keeps private and uses in its output. */
interface StackInternals {
  readonly rawOverrides: Configuration;
  readonly cdktfVersion: string;
}

function internalsOf(stack: TerraformStack): StackInternals {
  const internals = stack as unknown as Partial<StackInternals>;
  if (typeof internals.rawOverrides !== 'object' || internals.rawOverrides === null || typeof internals.cdktfVersion !== 'string') {
    throw new Error('TerraformStack has no rawOverrides or cdktfVersion; the pinned cdktf changed, see stacks/stack-output.ts');
  }
  return internals as StackInternals;
}

/**
 * cdktf 0.21's `TerraformStack.toTerraform`, with each element's resolution taken from
 * preparing. Its last step resolves the merged configuration again; the fragments are
 * resolved already (resolving them is the identity), so only what the stack's overrides
 * touch is resolved here.
 */
function assemble(stack: TerraformStack, prepared: ReadonlyMap<TerraformElement, Configuration>): Configuration {
  const { rawOverrides, cdktfVersion } = internalsOf(stack);
  const metadata: Configuration = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: 'local',
    cloud: undefined,
    ...(Object.keys(rawOverrides).length > 0 ? { overrides: { stack: Object.keys(rawOverrides) } } : {}),
  };
  const elements = elementsOf(stack);
  for (const element of elements) deepMerge(metadata, resolveIn(stack, element.toMetadata(), false));
  const outputs: Configuration = {};
  for (const element of elements) {
    if (!TerraformOutput.isTerraformOutput(element)) continue;
    const nested = element.node.path
      .split('/')
      .reduceRight<Configuration>((inner, part) => (Object.keys(inner).length === 0 ? { [part]: element.friendlyUniqueId } : { [part]: inner }), {});
    deepMerge(outputs, nested);
  }
  const configuration: Configuration = { '//': resolveIn(stack, { metadata, outputs }, false) };
  for (const element of elements) deepMerge(configuration, prepared.get(element) ?? resolveIn(stack, element.toTerraform(), false));
  deepMerge(configuration, rawOverrides);
  for (const top of Object.keys(rawOverrides)) {
    const resolved = resolveIn(stack, configuration[top], false);
    if (resolved === undefined) delete configuration[top];
    else configuration[top] = resolved;
  }
  return configuration;
}

/** The configuration of this synthesis of `stack`, if the app resolves once and the stack was prepared. */
export function onceResolvedOutput(stack: TerraformStack): Readonly<Configuration> | undefined {
  const synthesis = syntheses.get(stack);
  if (!synthesis) return undefined;
  if (!synthesis.output) {
    const prepared = new Map<TerraformElement, Configuration>();
    if (synthesis.prepared) {
      const fragments = JSON.parse(synthesis.prepared.resolved) as Configuration[];
      synthesis.prepared.elements.forEach((element, i) => prepared.set(element, fragments[i]));
    }
    synthesis.output = assemble(stack, prepared);
    synthesis.prepared = undefined;
  }
  return synthesis.output;
}

/**
 * The configuration cdktf writes for `stack` (its `toTerraform()` when synthesizing): the
 * one resolved in this synthesis, which is then released, as every stack's resolution is
 * held from preparing until its stack is written.
 */
export function writtenOutput(stack: TerraformStack): Readonly<Configuration> | undefined {
  const output = onceResolvedOutput(stack);
  syntheses.delete(stack);
  return output;
}

/** The stack's resolved configuration, as cdktf writes it; read-only, as it is written afterwards. */
export function stackOutput(stack: TerraformStack): Readonly<Configuration> {
  return onceResolvedOutput(stack) ?? (stack.toTerraform() as Readonly<Configuration>);
}
