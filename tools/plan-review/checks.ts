/**
 * The guardrail report and the isolation proof, read from the JSON check reports their
 * commands wrote (`--format json`, kernel/check-report.ts). The review shows one line per
 * check and the report collapsed; it does not run the checks itself, so each can evolve on
 * its own, and it never reads their text: a report in another format or version is an
 * input error naming the file and the fix.
 */
import { readFileSync } from 'node:fs';
import { type CheckReport, parseCheckReport } from '../../kernel/check-report';
import { InputError } from '../../kernel/errors';

export type CheckStatus = 'passed' | 'warnings' | 'failed' | 'not run';

export interface CheckResult {
  readonly title: string;
  readonly status: CheckStatus;
  /** One line for the review. */
  readonly summary: string;
  /** The report, for the collapsed details. */
  readonly details: string;
}

function statusOf(report: CheckReport): CheckStatus {
  // A check that could not run (status error) decides nothing: it blocks like a failed one.
  return report.status === 'error' ? 'failed' : report.status;
}

/** Reads one check's JSON report; no file means the check was not run. */
export function readCheck(title: string, file: string | undefined): CheckResult {
  if (file === undefined) return { title, status: 'not run', summary: 'not run', details: '' };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError([`${file}: ${title.toLowerCase()} report not found; write it first or leave the option out (the review then says "not run")`]);
  }
  const report = parseCheckReport(text, file);
  const details = report.details.length > 0 ? report.details : report.findings.map((finding) => `${finding.severity}  ${finding.message}`);
  return { title, status: statusOf(report), summary: report.summary, details: details.join('\n') };
}
