/** How results read for people: one line per stack, its problems, and what was not validated, loudly. */
import * as path from 'node:path';
import type { NotValidated, PlanDiagnostic, StackPlanResult } from './types';

function where(diagnostic: PlanDiagnostic): string {
  if (diagnostic.constructPath && diagnostic.address) return `${diagnostic.constructPath} (${diagnostic.address})`;
  return diagnostic.constructPath ?? diagnostic.address ?? `terraform ${diagnostic.stage}`;
}

export function formatDiagnostic(diagnostic: PlanDiagnostic): string {
  const detail = diagnostic.detail ? `: ${diagnostic.detail.replace(/\s*\n\s*/g, ' ').trim()}` : '';
  return `${diagnostic.severity}: ${where(diagnostic)}: ${diagnostic.summary.replace(/\s*\n\s*/g, ' ').trim()}${detail}`;
}

function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

function notValidatedText(entries: readonly NotValidated[]): string {
  const byProvider = new Map<string, number>();
  for (const entry of entries) byProvider.set(entry.provider, (byProvider.get(entry.provider) ?? 0) + entry.resources);
  return [...byProvider].map(([provider, count]) => `${count} ${provider} resource${count === 1 ? '' : 's'}`).join(', ');
}

/** One line per stack, then its diagnostics indented. */
export function formatStackResults(results: readonly StackPlanResult[]): string[] {
  const width = Math.max(...results.map((r) => r.stack.length));
  const lines: string[] = [];
  for (const result of results) {
    const plan = result.planJsonPath ? `  ${shown(result.planJsonPath)}` : '  no plan';
    const unvalidated = unvalidatedEntries(result).filter((n) => n.resources > 0);
    const missing = unvalidated.some((n) => n.resources > 0) ? `  NOT VALIDATED: ${notValidatedText(unvalidated)}` : '';
    const schema = result.schemaValidated ? `  ${result.schemaValidated} kubernetes schema-validated` : '';
    lines.push(
      `${result.stack.padEnd(width)}  ${result.status.padEnd(7)}  ${String(result.resourcesToCreate).padStart(4)} to create${plan}${schema}${missing}`,
    );
    for (const diagnostic of result.diagnostics) lines.push(`  ${formatDiagnostic(diagnostic)}`);
  }
  return lines;
}

export interface NotValidatedTotal {
  readonly provider: string;
  readonly resources: number;
  readonly stacks: readonly string[];
  readonly reasons: readonly string[];
}

/** Kubernetes resources left out of the plan but validated against the API schemas are not counted as unvalidated. */
function unvalidatedEntries(result: StackPlanResult): NotValidated[] {
  let schemaValidated = result.schemaValidated ?? 0;
  return result.notValidated.map((entry) => {
    if (entry.provider !== 'kubernetes' || schemaValidated === 0) return entry;
    const covered = Math.min(schemaValidated, entry.resources);
    schemaValidated -= covered;
    return { ...entry, resources: entry.resources - covered };
  });
}

/** Resources left out of the offline plan and not schema-validated either, summed by provider over all stacks. */
export function notValidatedTotals(results: readonly StackPlanResult[]): NotValidatedTotal[] {
  const totals = new Map<string, { resources: number; stacks: Set<string>; reasons: Set<string> }>();
  for (const result of results) {
    for (const entry of unvalidatedEntries(result)) {
      if (entry.resources + entry.dataSources === 0) continue;
      const total = totals.get(entry.provider) ?? { resources: 0, stacks: new Set<string>(), reasons: new Set<string>() };
      total.resources += entry.resources;
      total.stacks.add(result.stack);
      total.reasons.add(entry.reason);
      totals.set(entry.provider, total);
    }
  }
  return [...totals].map(([provider, t]) => ({ provider, resources: t.resources, stacks: [...t.stacks], reasons: [...t.reasons] }));
}

/** The warning printed whenever anything was left out: never a silent pass. */
export function formatNotValidated(results: readonly StackPlanResult[]): string[] {
  return notValidatedTotals(results).map(
    (t) =>
      `WARNING: ${t.resources} ${t.provider} resource${t.resources === 1 ? ' was' : 's were'} NOT validated in ${t.stacks.length} stack${t.stacks.length === 1 ? '' : 's'} (${t.stacks.join(', ')}): ${t.reasons.join('; ')}`,
  );
}

export function summaryLine(results: readonly StackPlanResult[], seconds: number): string {
  const valid = results.filter((r) => r.status === 'valid').length;
  const toCreate = results.reduce((sum, r) => sum + r.resourcesToCreate, 0);
  const totals = notValidatedTotals(results);
  const missing = totals.length > 0 ? `, ${totals.map((t) => `${t.resources} ${t.provider}`).join(', ')} resources NOT validated` : '';
  const schemaValidated = results.reduce((sum, r) => sum + (r.schemaValidated ?? 0), 0);
  const schema = schemaValidated > 0 ? `, ${schemaValidated} kubernetes resources schema-validated` : '';
  return `${valid} of ${results.length} stacks valid, ${toCreate} resources to create${schema}${missing} (${seconds.toFixed(1)} s)`;
}
