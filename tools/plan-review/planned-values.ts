/**
 * Terraform's planned values from an offline plan (`npm run plan:offline`): per resource
 * address, the attributes Terraform would set, provider defaults and resolved cross-stack
 * placeholders included. Values Terraform only knows after apply are absent from
 * `planned_values`; they are marked `(known after apply)` from the plan's `after_unknown`,
 * so an attribute that becomes computed shows as a change rather than as removed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { planJsonPath } from '../../kernel/plan-json';
import { InputError } from '../../kernel/errors';
import { isRecord } from '../../kernel/records';

export const KNOWN_AFTER_APPLY = '(known after apply)';

/** Address → planned attributes of every resource and data source in the plan. */
export type PlannedValues = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/** Puts the marker wherever `unknown` (an `after_unknown` tree) says true. */
function markUnknown(value: unknown, unknown: unknown): unknown {
  if (unknown === true) return KNOWN_AFTER_APPLY;
  if (Array.isArray(unknown)) {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    unknown.forEach((u, i) => {
      const marked = markUnknown(list[i], u);
      if (marked !== undefined) list[i] = marked;
    });
    return list.length > 0 || Array.isArray(value) ? list : value;
  }
  if (isRecord(unknown)) {
    const record: Record<string, unknown> = isRecord(value) ? { ...value } : {};
    for (const [key, u] of Object.entries(unknown)) {
      const marked = markUnknown(record[key], u);
      if (marked !== undefined) record[key] = marked;
    }
    return Object.keys(record).length > 0 || isRecord(value) ? record : value;
  }
  return value;
}

function collect(module: unknown, unknownByAddress: ReadonlyMap<string, unknown>, out: Map<string, Readonly<Record<string, unknown>>>): void {
  if (!isRecord(module)) return;
  for (const resource of Array.isArray(module.resources) ? module.resources : []) {
    if (!isRecord(resource) || typeof resource.address !== 'string') continue;
    const values = isRecord(resource.values) ? resource.values : {};
    const unknown = unknownByAddress.get(resource.address);
    out.set(resource.address, unknown === undefined ? values : (markUnknown(values, unknown) as Record<string, unknown>));
  }
  for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) collect(child, unknownByAddress, out);
}

/** A plans directory must exist: a mistyped path would otherwise silently mean "no plans". */
export function checkPlansDir(dir: string, label: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory)
    throw new InputError([`${dir}: ${label} plans directory not found; run \`npm run plan:offline -- --plans ${dir}\` or leave the option out`]);
}

/** The planned values of one stack's plan JSON, or undefined when the stack has no plan there. */
export function readPlannedValues(plansDir: string, stack: string): PlannedValues | undefined {
  const file = planJsonPath(plansDir, stack);
  if (!existsSync(file)) return undefined;
  let plan: unknown;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError([`${file}: not valid JSON (${(error as Error).message}); run \`npm run plan:offline\` again`]);
  }
  if (!isRecord(plan) || typeof plan.format_version !== 'string' || !isRecord(plan.planned_values)) {
    throw new InputError([`${file}: not a Terraform plan JSON (no format_version or planned_values); run \`npm run plan:offline\` again`]);
  }
  const unknownByAddress = new Map<string, unknown>();
  for (const change of Array.isArray(plan.resource_changes) ? plan.resource_changes : []) {
    if (isRecord(change) && typeof change.address === 'string' && isRecord(change.change) && change.change.after_unknown !== undefined) {
      unknownByAddress.set(change.address, change.change.after_unknown);
    }
  }
  const out = new Map<string, Readonly<Record<string, unknown>>>();
  collect(plan.planned_values.root_module, unknownByAddress, out);
  return out;
}
