/**
 * The frame every command runs in: `--help`, one-line result, user errors printed as
 * lines (never a stack trace), and the exit codes of kernel/errors.ts: 0 ok, 1 the input
 * or result is rejected, 2 usage error, 70 an internal error (a bug to report).
 */
import { ConfigError, formatIssue } from '../config/issues';
import { CliFailure, EXIT, UsageError } from '../kernel/errors';

export { CliFailure, EXIT, InputError, UsageError } from '../kernel/errors';

export type CliMain = (args: string[]) => string | Promise<string>;

export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

export function runCli(name: string, usage: string, main: CliMain, args: string[] = process.argv.slice(2)): void {
  if (wantsHelp(args)) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  Promise.resolve()
    .then(() => main(args))
    .then((result) => {
      if (result) process.stdout.write(`${result}\n`);
    })
    .catch((error: unknown) => {
      process.exitCode = reportError(name, usage, error);
    });
}

export function reportError(name: string, usage: string, error: unknown): number {
  if (error instanceof ConfigError) {
    for (const issue of error.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`${name}: ${error.issues.length} problem${error.issues.length === 1 ? '' : 's'} found; nothing was written\n`);
    return EXIT.rejected;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`${name}: ${error.message}\n\n${usage}\n`);
    return EXIT.usage;
  }
  if (error instanceof CliFailure) {
    process.stderr.write(`${name}: ${error.message}\n`);
    return error.code;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${name}: unexpected error: ${message}\n`);
  if (process.env.DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  else process.stderr.write(`${name}: set DEBUG=1 for details, and please report it\n`);
  return EXIT.internal;
}

/** Parses `--flag value` and `--flag=value` pairs; rejects flags not in `known`. */
export function parseFlags(args: readonly string[], known: readonly string[], booleans: readonly string[] = []): { flags: Record<string, string>; positional: string[] } {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!known.includes(key) && !booleans.includes(key)) throw new UsageError(`unknown option --${key}`);
    if (booleans.includes(key)) {
      flags[key] = 'true';
    } else if (eq > 0) {
      flags[key] = arg.slice(eq + 1);
    } else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${key} needs a value`);
      flags[key] = value;
      i++;
    }
  }
  return { flags, positional };
}
