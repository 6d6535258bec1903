/**
 * The error and exit-code types every layer may throw and every command maps the same way:
 * 0 ok, 1 rejected (a problem in the input, or a failed check), 2 usage error, 70 an
 * internal error (a bug to report, never confused with a verdict). bin/cli.ts prints them.
 */

export const EXIT = { ok: 0, rejected: 1, usage: 2, internal: 70 } as const;

/** Wrong flags or arguments: printed with the usage text, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user can act on: printed as is, exit with `code`. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.rejected,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/**
 * An input the command cannot use (a missing or malformed synth output, plan or report):
 * every problem names the file and the fix. Exit 1, like any rejected input.
 */
export class InputError extends CliFailure {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[], message?: string) {
    const list = typeof problems === 'string' ? [problems] : [...problems];
    super(message ?? list.join('\n'), EXIT.rejected);
    this.problems = list;
    this.name = 'InputError';
  }
}
