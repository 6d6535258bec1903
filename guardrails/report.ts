/**
 * The guardrail report over all stacks: per rule, how many blocks it checked, how many
 * failed and how many failures a suppression hid; then every failure and every
 * suppression with its reason, so that nothing is suppressed silently.
 */
import type { GuardrailFinding, StackResult, SuppressionRecord } from './check';
import type { GuardrailRule, Severity } from './rule';
import { SUPPRESSION_CHECK } from './suppressions';

export interface RuleLine {
  readonly id: string;
  readonly severity: Severity | 'error/warning';
  readonly description: string;
  readonly checked: number;
  readonly failures: number;
  readonly suppressed: number;
}

export interface GuardrailReport {
  readonly stacks: number;
  readonly rules: readonly RuleLine[];
  readonly findings: readonly GuardrailFinding[];
  readonly suppressions: readonly SuppressionRecord[];
  readonly errors: number;
  readonly warnings: number;
}

export function buildReport(pack: readonly GuardrailRule[], results: readonly StackResult[]): GuardrailReport {
  const findings = results.flatMap((result) => result.findings);
  const suppressions = results.flatMap((result) => result.suppressions);
  const count = <T extends { ruleId: string }>(items: readonly T[], id: string, weight: (item: T) => number = () => 1) =>
    items.filter((item) => item.ruleId === id).reduce((sum, item) => sum + weight(item), 0);
  const rules: RuleLine[] = pack.map((rule) => ({
    id: rule.id,
    severity: rule.severity,
    description: rule.description,
    checked: results.reduce((sum, result) => sum + (result.checked[rule.id] ?? 0), 0),
    failures: count(findings, rule.id),
    suppressed: count(suppressions, rule.id, (suppression) => suppression.hidden),
  }));
  rules.push({
    id: SUPPRESSION_CHECK.id,
    severity: 'error/warning',
    description: SUPPRESSION_CHECK.description,
    checked: suppressions.length + count(findings, SUPPRESSION_CHECK.id, (finding) => (finding.severity === 'error' ? 1 : 0)),
    failures: count(findings, SUPPRESSION_CHECK.id),
    suppressed: 0,
  });
  return {
    stacks: results.length,
    rules,
    findings,
    suppressions,
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warning').length,
  };
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : rightAligned.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ');
  return [line(header), line(widths.map((width, column) => '-'.repeat(column === widths.length - 1 ? header[column].length : width))), ...rows.map(line)];
}

/** The report as text: the rule table, then failures and suppressions one per line. */
export function formatReport(report: GuardrailReport, formatFinding: (finding: GuardrailFinding) => string): string {
  const lines = table(
    ['rule', 'severity', 'checked', 'failures', 'suppressed', 'description'],
    report.rules.map((rule) => [rule.id, rule.severity, String(rule.checked), String(rule.failures), String(rule.suppressed), rule.description]),
    new Set([2, 3, 4]),
  );
  if (report.findings.length > 0) {
    lines.push('', `Failures (${report.findings.length}):`);
    for (const finding of report.findings) lines.push(`  ${finding.severity === 'error' ? 'error' : 'warning'}  ${formatFinding(finding)}`);
  }
  lines.push('', report.suppressions.length === 0 ? 'Suppressions: none' : `Suppressions (${report.suppressions.length}):`);
  for (const suppression of report.suppressions) {
    lines.push(
      `  ${suppression.ruleId} in stack '${suppression.stack}' at ${suppression.path} (${suppression.address}), hides ${suppression.hidden}: ${suppression.reason}`,
    );
  }
  return lines.join('\n');
}
