/**
 * Every use of cdktf beyond its documented API, in one module, checked against the pinned
 * version at start-up (`assertPinnedCdktf`, run by every synth) and each pinned by a test:
 *
 * | internal | used by | pinned by |
 * | --- | --- | --- |
 * | `invokeAspects`, `deepMerge` (`cdktf/lib/...`, not exported from the root) | `stacks/stack-output.ts`: each stack resolved once | `test/stacks/stack-output.test.ts` (same bytes as cdktf's own synth) |
 * | `TerraformStack`'s private `rawOverrides` and `cdktfVersion` (`stackInternals`) | `stacks/stack-output.ts` | the same test |
 * | `addCustomSynthesis` (`cdktf/lib/synthesize/synthesizer`) | `guardrails/aspect.ts`: the check after all aspects | `test/guardrails/aspect.test.ts` |
 * | the function-call token's `resolveArg` (`argumentRendererOf`) | `constructs/common/policy.ts`: one-pass policy rendering | `test/constructs/common/policy.test.ts` (cdktf's own rendering, byte for byte) |
 * | cdktf capturing a stack trace per token through `Error.captureStackTrace` (`withoutTokenStackTraces`) | `synth/synthesize.ts`, `bench/baseline.ts` | `test/constructs/common/cdktf-internals.test.ts` |
 *
 * For the cdktn fork (or any other cdktf version): check each row above against its
 * source, run the pinning tests, then change PINNED_CDKTF_VERSION. (zod's `_zod.def`, read
 * by `config/schema-issues.ts`, is the one internal of another package; its tests pin it.)
 */
import { createRequire } from 'node:module';
import { Tokenization, type IResolvable, type IResolveContext, type TerraformStack } from 'cdktf';
import { addCustomSynthesis, invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { deepMerge } from 'cdktf/lib/util';
import { CliFailure, EXIT } from '../../kernel/errors';

export { addCustomSynthesis, deepMerge, invokeAspects };

/** The cdktf version whose internals this module was checked against. */
export const PINNED_CDKTF_VERSION = '0.21.0';

export function installedCdktfVersion(): string {
  return (createRequire(__filename)('cdktf/package.json') as { version: string }).version;
}

/** Fails, with the fix, when the installed cdktf is not the one whose internals are used here. */
export function assertPinnedCdktf(installed: string = installedCdktfVersion()): void {
  if (installed === PINNED_CDKTF_VERSION) return;
  throw new CliFailure(
    `cdktf ${installed} is installed, but the synth relies on internals of cdktf ${PINNED_CDKTF_VERSION} (constructs/common/cdktf-internals.ts lists them): run 'npm ci', or check each internal against ${installed} before changing PINNED_CDKTF_VERSION`,
    EXIT.internal,
  );
}

/** What cdktf's `TerraformStack.toTerraform` keeps private and uses in its output. */
export interface StackInternals {
  readonly rawOverrides: Record<string, unknown>;
  readonly cdktfVersion: string;
}

export function stackInternals(stack: TerraformStack): StackInternals {
  const internals = stack as unknown as Partial<StackInternals>;
  if (typeof internals.rawOverrides !== 'object' || internals.rawOverrides === null || typeof internals.cdktfVersion !== 'string') {
    throw new Error('TerraformStack has no rawOverrides or cdktfVersion; the pinned cdktf changed, see constructs/common/cdktf-internals.ts');
  }
  return internals as StackInternals;
}

/** cdktf's rendering of one value inside a function call: a literal quoted and escaped, a token as an expression. */
export interface ArgumentRenderer {
  resolveArg(context: IResolveContext, value: unknown): unknown;
}

/** The function-call token behind `token`, with its argument rendering; undefined when cdktf no longer has one. */
export function argumentRendererOf(token: unknown): (ArgumentRenderer & IResolvable) | undefined {
  return Tokenization.isResolvable(token) && typeof (token as Partial<ArgumentRenderer>).resolveArg === 'function'
    ? (token as ArgumentRenderer & IResolvable)
    : undefined;
}

/**
 * cdktf records a full, unlimited-depth stack trace for every token it creates (each
 * attribute reference, each cross-stack reference, each function call), only to quote it
 * in the message of an internal resolution error, at a cost that dominated the synth at
 * scale (measured in docs/scale.md). While `run` executes,
 * such captures into plain objects (how cdktf and constructs record them) are skipped;
 * errors keep their stack traces. DEBUG=1 keeps cdktf's traces too.
 */
type CaptureStackTrace = typeof Error.captureStackTrace;

export function withoutTokenStackTraces<T>(run: () => T, env: NodeJS.ProcessEnv = process.env): T {
  if (env.DEBUG) return run();
  const capture: CaptureStackTrace = Error.captureStackTrace;
  const captureErrorsOnly: CaptureStackTrace = (target, constructorOpt) => {
    // An empty trace reads as "none recorded" to cdktf's and constructs' capture helpers.
    if (target instanceof Error) capture(target, constructorOpt);
    else (target as { stack?: string }).stack = '';
  };
  Error.captureStackTrace = captureErrorsOnly;
  try {
    return run();
  } finally {
    Error.captureStackTrace = capture;
  }
}
