/**
 * A stack's synthesized configuration, resolved once per synthesis instead of three times.
 *
 * cdktf resolves every element of every stack when it prepares the stacks (to find
 * cross-stack references) and again when it writes them, and the guardrail check reads the
 * same configuration in between. Within `synthesizeResolvingOnce(app)`, the platform's
 * `app.synth()`:
 * - `PlatformStack.prepareStack` keeps each element's resolution (cdktf resolves exactly the
 *   same values while preparing: a reference to another stack already renders as that
 *   stack's output); elements added later (cross-stack outputs and remote states) are
 *   resolved when the stack is assembled;
 * - `stackOutput` assembles the stack's configuration from them once, as cdktf's
 *   `TerraformStack.toTerraform` does; the check reads it and the synth writes it
 *   (`PlatformStack.toTerraform`), which releases it.
 * Aspects run before the stacks are prepared, as an element an aspect changes after
 * preparing would be kept stale (cdktf runs them after preparing, and again here, to no
 * effect: the platform's aspects set what is unset and register once). Outside that synth
 * everything is computed afresh, so a stack changed between two synths is never read stale.
 */
import { App, DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';
import { deepMerge, invokeAspects, stackInternals } from '../constructs/common/cdktf-internals';

type Configuration = Record<string, unknown>;

interface StackSynthesis {
  /** Each element's configuration as preparing resolved it, until the output is assembled. */
  prepared?: Map<TerraformElement, Configuration>;
  output?: Readonly<Configuration>;
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());
const appsResolvingOnce = new WeakSet<IConstruct>();
const syntheses = new WeakMap<TerraformStack, StackSynthesis>();

/** Resolves as cdktf does for a stack's output; outside preparing, nothing (such as a cross-stack reference) is registered. */
export function resolveIn(scope: IConstruct, value: unknown, preparing = false): unknown {
  return Tokenization.resolve(value, { scope, preparing, resolver: RESOLVER });
}

/** The stack's elements in cdktf's order (construct order, not entering nested stacks). */
export function stackElements(stack: TerraformStack): TerraformElement[] {
  return stack.node.findAll().filter((node): node is TerraformElement => TerraformElement.isTerraformElement(node) && node.cdktfStack === stack);
}

/** A stack other stacks may read: any stack but one that says otherwise (`PlatformStack.readByOtherStacks`). */
function isReadByOthers(stack: TerraformStack): boolean {
  return (stack as Partial<{ readonly readByOtherStacks: boolean }>).readByOtherStacks !== false;
}

/**
 * cdktf 0.21's `App.synth()`, resolving each stack once. cdktf prepares every stack, then
 * writes every stack; here a stack no other stack reads (a tenant stack,
 * `PlatformStack.readByOtherStacks`) is written right after it is prepared, so that what
 * preparing resolved is held for one stack at a time (why, measured: docs/scale.md, "Where
 * the synth's time goes"). Stacks other stacks read are prepared first and written last, as preparing a
 * stack that reads them may add outputs to them. A stack written early that gains an
 * element afterwards (another stack reading it) would be incomplete: that fails the synth.
 */
export function synthesizeResolvingOnce(app: App): void {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  const session = { outdir: app.outdir, skipValidation: app.skipValidation, manifest: app.manifest };
  for (const stack of stacks) invokeAspects(stack);
  appsResolvingOnce.add(app);
  try {
    const read = stacks.filter(isReadByOthers);
    const unread = stacks.filter((stack) => !isReadByOthers(stack));
    for (const stack of read) stack.prepareStack();
    const writtenElements = new Map<TerraformStack, number>();
    for (const stack of unread) {
      stack.prepareStack();
      stack.synthesizer.synthesize(session);
      writtenElements.set(stack, stackElements(stack).length);
    }
    for (const stack of read) stack.synthesizer.synthesize(session);
    for (const [stack, count] of writtenElements) {
      if (stackElements(stack).length !== count) {
        throw new Error(
          `stack '${stack.node.id}' is read by another stack but says it is not (readByOtherStacks); it was written before the reader added its outputs`,
        );
      }
    }
  } finally {
    appsResolvingOnce.delete(app);
    for (const stack of stacks) syntheses.delete(stack);
  }
  if (!app.skipValidation) {
    const errors = app.node.validate();
    if (errors.length > 0) throw new Error(`App-level validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
  app.manifest.writeToFile();
}

/**
 * cdktf's `prepareStack`, keeping what it resolves when the app resolves once. Returns
 * false when the app does not, for the caller to run cdktf's own.
 */
export function prepareKeepingResolution(stack: TerraformStack): boolean {
  if (!appsResolvingOnce.has(App.of(stack))) return false;
  stack.ensureBackendExists();
  const prepared = new Map<TerraformElement, Configuration>();
  for (const element of stackElements(stack)) prepared.set(element, resolveIn(stack, element.toTerraform(), true) as Configuration);
  syntheses.set(stack, { prepared });
  return true;
}

/**
 * cdktf 0.21's `TerraformStack.toTerraform`, with each element's resolution taken from
 * preparing. Its last step resolves the merged configuration again; the fragments are
 * resolved already (resolving them is the identity), so only what the stack's overrides
 * touch is resolved here.
 */
function assemble(stack: TerraformStack, prepared: ReadonlyMap<TerraformElement, Configuration>): Configuration {
  const { rawOverrides, cdktfVersion } = stackInternals(stack);
  const metadata: Configuration = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: 'local',
    cloud: undefined,
    ...(Object.keys(rawOverrides).length > 0 ? { overrides: { stack: Object.keys(rawOverrides) } } : {}),
  };
  const elements = stackElements(stack);
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
    synthesis.output = assemble(stack, synthesis.prepared ?? new Map());
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
