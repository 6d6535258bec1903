/**
 * The plan JSON (`terraform show -json`) that `npm run plan:offline` writes to
 * `<plans dir>/<stack>/plan.json`: where it is and how it reads. The plan review and the
 * isolation proof read it; the offline plan writes it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The plans directory when `--plans` names none. */
export const DEFAULT_PLANS_DIR = '.plan-offline';

/** The plan JSON's file name in a stack's directory. */
export const PLAN_JSON_FILE = 'plan.json';

/** Where the plan JSON of `stack` is written (it exists only if that stack planned). */
export function planJsonPath(plansDir: string, stack: string): string {
  return path.join(plansDir, stack, PLAN_JSON_FILE);
}

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
