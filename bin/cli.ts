/**
 * The frame every command runs in: `--help`, one-line result, user errors printed as
 * lines (never a stack trace), and the exit codes of kernel/errors.ts: 0 ok, 1 the input
 * or result is rejected, 2 usage error, 70 an internal error (a bug to report).
 */
import { ConfigError, formatIssue } from '../config/issues';
import { checkReport, type CheckReportFinding, type CheckReportStatus } from '../kernel/check-report';
import { CliFailure, EXIT, InputError, UsageError } from '../kernel/errors';
import { DEFAULT_SYNTH_DIR } from '../kernel/synth-output';

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
export function parseFlags(
  args: readonly string[],
  known: readonly string[],
  booleans: readonly string[] = [],
): { flags: Record<string, string>; positional: string[] } {
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

/** `--format text` (the default, for people) or `--format json` (versioned, for tools). */
export type OutputFormat = 'text' | 'json';

export function outputFormat(flags: Readonly<Record<string, string>>): OutputFormat {
  const value = flags.format ?? 'text';
  if (value !== 'text' && value !== 'json') throw new UsageError(`--format must be text or json, got '${value}'`);
  return value;
}

/** The synth output directory every command reads or writes: `--synth <dir>`, else CDKTF_OUTDIR, else cdktf.out. */
export function synthDirOf(flags: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): string {
  return flags.synth ?? (env.CDKTF_OUTDIR || DEFAULT_SYNTH_DIR);
}

/** What a check command found: its verdict, one-line summary, findings and report lines. */
export interface CheckOutcome {
  readonly status: Exclude<CheckReportStatus, 'error'>;
  readonly summary: string;
  readonly findings: readonly CheckReportFinding[];
  readonly details: readonly string[];
}

/**
 * Runs a check and prints it: as text, the report lines then the result line (on standard
 * error when it failed); as JSON, one check report on standard output, also when the input
 * could not be read (status `error`), so a workflow always has a document to hand on.
 * Returns the result line or throws CliFailure (exit 1) for a failed check.
 */
export async function runCheck(
  check: string,
  format: OutputFormat,
  run: () => CheckOutcome | Promise<CheckOutcome>,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<string> {
  let outcome: CheckOutcome;
  try {
    outcome = await run();
  } catch (error) {
    if (format === 'json' && (error instanceof InputError || error instanceof ConfigError)) {
      const details = error instanceof ConfigError ? error.issues.map(formatIssue) : [...error.problems];
      write(
        JSON.stringify(
          checkReport({ check, status: 'error', summary: `could not run: ${details[0] ?? error.message}`, exitCode: EXIT.rejected, findings: [], details }),
          null,
          2,
        ),
      );
    }
    throw error;
  }
  const exitCode = outcome.status === 'failed' ? EXIT.rejected : EXIT.ok;
  if (format === 'json') write(JSON.stringify(checkReport({ check, exitCode, ...outcome }), null, 2));
  else for (const line of outcome.details) write(line);
  if (exitCode !== EXIT.ok) throw new CliFailure(outcome.summary, exitCode);
  if (format === 'json') {
    // Standard output holds the document alone.
    process.stderr.write(`${outcome.summary}\n`);
    return '';
  }
  return outcome.summary;
}
