/**
 * The guardrail report and the isolation proof, read from the files their commands wrote
 * (text or JSON). The review shows one line per check and the report collapsed; it does
 * not run the checks itself, so each can evolve on its own.
 *
 * Text reports: a line `ok...` means passed; a count of errors, violations, failures,
 * problems or leaks above zero, a line that says failed, or a final `exit code: N` with
 * N > 0 (the workflow appends it) means failed. JSON reports: `ok`/`passed` booleans, a
 * `status` word, or counts/arrays named errors, violations, failures, warnings.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../kernel/errors';
import { isRecord } from '../../kernel/records';

export type CheckStatus = 'passed' | 'warnings' | 'failed' | 'not run' | 'unclear';

export interface CheckResult {
  readonly title: string;
  readonly status: CheckStatus;
  /** One line for the review. */
  readonly summary: string;
  /** The report, for the collapsed details. */
  readonly details: string;
  /** The details are Markdown (a `.md` report) rather than text or JSON. */
  readonly markdown: boolean;
}

const EXIT_LINE = /^exit code:?\s*(\d+)\s*$/i;
// A count in prose ("3 errors"), not a table cell or an id such as "MLP-S3-1   error".
const FAILED_COUNT = /(?<![\w-])(\d+) (?:errors?|violations?|failures?|failed|problems?|leaks?)\b/gi;


function statusWord(word: string): CheckStatus | undefined {
  const w = word.toLowerCase();
  if (/^(ok|pass|passed|success|succeeded|proven|isolated)$/.test(w)) return 'passed';
  if (/^(warn|warning|warnings)$/.test(w)) return 'warnings';
  if (/^(fail|failed|failure|error|errors|blocked|broken|violated)$/.test(w)) return 'failed';
  return undefined;
}

function count(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.length;
  return undefined;
}

function itemLine(item: unknown): string {
  if (typeof item === 'string') return item;
  if (!isRecord(item)) return JSON.stringify(item);
  const parts = ['severity', 'rule', 'id', 'tenant', 'stack', 'address', 'principal', 'resource', 'message', 'reason']
    .map((k) => item[k])
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
  return parts.length > 0 ? parts.join(' · ') : JSON.stringify(item);
}

function fromJson(title: string, data: unknown, text: string): CheckResult {
  const record = isRecord(data) ? data : {};
  const errors = ['errors', 'violations', 'failures', 'failed', 'leaks'].map((k) => count(record[k])).find((n) => n !== undefined);
  const warnings = count(record.warnings);
  let status: CheckStatus | undefined;
  if (typeof record.ok === 'boolean') status = record.ok ? 'passed' : 'failed';
  else if (typeof record.passed === 'boolean') status = record.passed ? 'passed' : 'failed';
  else if (typeof record.status === 'string') status = statusWord(record.status);
  else if (typeof record.verdict === 'string') status = statusWord(record.verdict);
  if (status === undefined || status === 'passed') {
    if (errors !== undefined && errors > 0) status = 'failed';
    else if (warnings !== undefined && warnings > 0) status = 'warnings';
    else if (status === undefined && (errors !== undefined || warnings !== undefined)) status = 'passed';
  }
  const counted = [errors !== undefined ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings !== undefined ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  const summary = typeof record.summary === 'string' ? record.summary : counted || (status ? status : 'no status in the report');
  const items = ['errors', 'violations', 'failures', 'leaks', 'warnings', 'findings'].flatMap((k) => (Array.isArray(record[k]) ? (record[k] as unknown[]) : []));
  const details = items.length > 0 ? items.map((i) => `- ${itemLine(i)}`).join('\n') : text;
  return { title, status: status ?? 'unclear', summary, details, markdown: false };
}

function fromText(title: string, text: string, markdown: boolean): CheckResult {
  const lines = text.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const exit = lines.map((l) => EXIT_LINE.exec(l.trim())).find((m) => m !== null);
  const content = lines.filter((l) => !EXIT_LINE.test(l.trim()));
  const okLine = content.find((l) => /^(ok|passed)\b/i.test(l.trim()));
  const summary = (okLine ?? content[content.length - 1] ?? 'empty report').trim();
  let status: CheckStatus = 'unclear';
  const failedCounts = [...text.matchAll(FAILED_COUNT)].some((m) => Number(m[1]) > 0);
  if (exit && Number(exit[1]) > 0) status = 'failed';
  else if (failedCounts || content.some((l) => /^(error|fail|failed|blocked)\b/i.test(l.trim()) || /:\s*(failed|blocked)\b/i.test(l))) status = 'failed';
  else if (okLine) status = /(?<![\w-])[1-9]\d* warnings?\b/i.test(okLine) ? 'warnings' : 'passed';
  else if (content.some((l) => /(?<![\w-])[1-9]\d* warnings?\b/i.test(l))) status = 'warnings';
  else if (exit) status = 'passed';
  return { title, status, summary, details: content.join('\n'), markdown };
}

/** Reads one check's report; no file means the check was not run. */
export function readCheck(title: string, file: string | undefined): CheckResult {
  if (file === undefined) return { title, status: 'not run', summary: 'not run', details: '', markdown: false };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError([`${file}: ${title.toLowerCase()} report not found; write it first or leave the option out (the review then says "not run")`]);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return fromJson(title, JSON.parse(trimmed), trimmed);
    } catch {
      // Not JSON after all: read it as text.
    }
  }
  return fromText(title, text, file.endsWith('.md'));
}
