/**
 * cdktf records a full, unlimited-depth stack trace for every token it creates (each
 * attribute reference, each cross-stack reference, each function call), only to quote it
 * in the message of an internal resolution error. Walking the stack, formatting it
 * through the source maps tsx enables and keeping it alive were most of the synth time and
 * about a third of its memory at a thousand tenants. While `run` executes, such captures
 * into plain objects (how cdktf and constructs record them) are skipped; errors keep
 * their stack traces. DEBUG=1 keeps cdktf's traces too.
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
