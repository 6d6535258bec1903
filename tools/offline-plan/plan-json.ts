/** Reading the plan JSON (`terraform show -json`) that `planOffline` writes. */
import { readFileSync } from 'node:fs';

export interface ResourceChange {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly change: { readonly actions: readonly string[]; readonly after?: unknown; readonly after_unknown?: unknown };
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly planned_values?: unknown;
  readonly configuration?: unknown;
}

export function readPlanJson(file: string): PlanJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PlanJson;
}

/** Managed resources the plan creates (a replacement counts too). */
export function countCreates(planJsonFile: string): number {
  return (readPlanJson(planJsonFile).resource_changes ?? []).filter((c) => c.mode === 'managed' && c.change.actions.includes('create')).length;
}
