/**
 * Synthesis that reports every error annotation of every stack at once. cdktf stops at
 * the first stack with an error annotation (naming only that stack's errors), and skips
 * them all when CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set; here each stack's
 * synthesizer continues past its annotations and the errors are read from the manifest
 * afterwards, so neither the first failure hides the others nor the variable hides any.
 */
import { AnnotationMetadataEntryType, TerraformStack, type App, type IStackSynthesizer, type ISynthesisSession, type StackAnnotation } from 'cdktf';
import { assertPinnedCdktf } from '../constructs/common/cdktf-internals';
import { CliFailure, EXIT } from '../kernel/errors';
import { synthesizeResolvingOnce } from '../stacks/stack-output';

export interface ErrorAnnotation {
  readonly stack: string;
  readonly path: string;
  readonly message: string;
}

/** Every error annotation, printed one per line; `nothing was written` holds for `synthesize`, which discards the output. */
export class GuardrailViolations extends CliFailure {
  constructor(readonly errors: readonly ErrorAnnotation[]) {
    const stacks = new Set(errors.map((error) => error.stack)).size;
    super(
      [
        `${errors.length} error${errors.length === 1 ? '' : 's'} in ${stacks} stack${stacks === 1 ? '' : 's'}; nothing was written`,
        ...errors.map((error) => `  ${error.message.startsWith('MLP-') ? error.message : `${error.path}: ${error.message}`}`),
      ].join('\n'),
      EXIT.rejected,
    );
    this.name = 'GuardrailViolations';
  }
}

const wrapped = new WeakSet<TerraformStack>();

class ContinuePastErrorAnnotations implements IStackSynthesizer {
  constructor(
    private readonly inner: IStackSynthesizer,
    private readonly stack: TerraformStack,
  ) {}

  synthesize(session: ISynthesisSession): void {
    try {
      this.inner.synthesize(session);
    } catch (error) {
      // The stack's annotations are in the manifest before cdktf throws for them; anything else is a real failure.
      if (!session.manifest.forStack(this.stack).annotations.some(isError)) throw error;
    }
  }
}

function isError(annotation: StackAnnotation): boolean {
  return annotation.level === AnnotationMetadataEntryType.ERROR;
}

/** Synthesizes every stack of `app` and returns the error annotations of all of them. */
export function synthesizeCollectingErrors(app: App): ErrorAnnotation[] {
  assertPinnedCdktf();
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    if (wrapped.has(stack)) continue;
    stack.synthesizer = new ContinuePastErrorAnnotations(stack.synthesizer, stack);
    wrapped.add(stack);
  }
  synthesizeResolvingOnce(app);
  return Object.values(app.manifest.stacks).flatMap((stack) =>
    stack.annotations.filter(isError).map((annotation) => ({ stack: stack.name, path: annotation.constructPath, message: annotation.message })),
  );
}

/** `app.synth()` that throws GuardrailViolations, listing every error annotation of every stack. */
export function synthesizeWithGuardrails(app: App): void {
  const errors = synthesizeCollectingErrors(app);
  if (errors.length > 0) throw new GuardrailViolations(errors);
}
