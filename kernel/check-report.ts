/**
 * The machine-readable result of a check command (`npm run guardrails -- --format json`,
 * `npm run prove-isolation -- --format json`): a versioned document the plan review reads
 * instead of the commands' text. A reader rejects another format or version by name, so
 * a change of shape is a new version, never a silent misreading.
 */
import { InputError } from './errors';
import { isRecord } from './records';

export const CHECK_REPORT_FORMAT = 'mlp.check-report';
export const CHECK_REPORT_VERSION = 1;

/** passed: nothing wrong; warnings: only warning-level findings; failed: a failed check; error: the check could not run (bad input). */
export type CheckReportStatus = 'passed' | 'warnings' | 'failed' | 'error';

export interface CheckReportFinding {
  readonly severity: 'error' | 'warning';
  /** What was found, in one line (rule id, stack, address and problem; or the leak). */
  readonly message: string;
  /** The rule or kind of finding, e.g. `MLP-S3-1` or `leak`. */
  readonly id?: string;
  readonly stack?: string;
  readonly address?: string;
}

export interface CheckReport {
  readonly format: typeof CHECK_REPORT_FORMAT;
  readonly version: typeof CHECK_REPORT_VERSION;
  /** The command that wrote it: `guardrails` or `prove-isolation`. */
  readonly check: string;
  readonly status: CheckReportStatus;
  /** The command's one-line result. */
  readonly summary: string;
  /** The exit code the command ended with. */
  readonly exitCode: number;
  readonly findings: readonly CheckReportFinding[];
  /** The human-readable report, line by line, for reviewers. */
  readonly details: readonly string[];
}

export function checkReport(fields: Omit<CheckReport, 'format' | 'version'>): CheckReport {
  return { format: CHECK_REPORT_FORMAT, version: CHECK_REPORT_VERSION, ...fields };
}

const STATUSES: readonly CheckReportStatus[] = ['passed', 'warnings', 'failed', 'error'];

/** Parses a check report written by `--format json`; anything else is an InputError naming `file` and the fix. */
export function parseCheckReport(text: string, file: string): CheckReport {
  const fix = `write it with '--format json' (this review reads the JSON report only)`;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not a JSON check report (${(error as Error).message}); ${fix}`);
  }
  if (!isRecord(data) || data.format !== CHECK_REPORT_FORMAT)
    throw new InputError(`${file}: not a check report (no "format": "${CHECK_REPORT_FORMAT}"); ${fix}`);
  if (data.version !== CHECK_REPORT_VERSION) {
    throw new InputError(
      `${file}: check report version ${JSON.stringify(data.version)} is not the version ${CHECK_REPORT_VERSION} this tool reads; write it with the same checkout`,
    );
  }
  const problems: string[] = [];
  if (typeof data.check !== 'string') problems.push('"check" must be a string');
  if (!STATUSES.includes(data.status as CheckReportStatus)) problems.push(`"status" must be one of ${STATUSES.join(', ')}`);
  if (typeof data.summary !== 'string') problems.push('"summary" must be a string');
  if (typeof data.exitCode !== 'number') problems.push('"exitCode" must be a number');
  const findings = Array.isArray(data.findings) ? data.findings : undefined;
  if (!findings?.every((f) => isRecord(f) && (f.severity === 'error' || f.severity === 'warning') && typeof f.message === 'string')) {
    problems.push('"findings" must be a list of { severity: error|warning, message }');
  }
  if (!Array.isArray(data.details) || !data.details.every((line) => typeof line === 'string')) problems.push('"details" must be a list of lines');
  if (problems.length > 0) throw new InputError(problems.map((problem) => `${file}: ${problem}`));
  return data as unknown as CheckReport;
}
