/** Reading resolved IAM statements, shared by the IAM and S3 rules. */
import { asRecord, asStringList, type Block, type ResolvedStatement, type Violation } from './rule';

export function isAllow(statement: ResolvedStatement): boolean {
  return statement.Effect === 'Allow';
}

export function isDeny(statement: ResolvedStatement): boolean {
  return statement.Effect === 'Deny';
}

/** `*`, or `{ AWS: '*' }` / `{ AWS: [..., '*'] }`: anyone, in any account. */
export function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  return asStringList(asRecord(principal)?.AWS).includes('*');
}

/** Whether `actions` include every action (`*`) or every action of `service` (`s3:*`). */
export function coversAllActions(actions: unknown, service?: string): boolean {
  return asStringList(actions).some((action) => action === '*' || action === '*:*' || (service !== undefined && action.toLowerCase() === `${service}:*`));
}

export interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly unknown[];
}

export function conditionEntries(condition: unknown): ConditionEntry[] {
  const entries: ConditionEntry[] = [];
  for (const [operator, byKey] of Object.entries(asRecord(condition) ?? {})) {
    const keys = asRecord(byKey);
    if (!keys) {
      // A whole operator block built in Terraform (e.g. `zipmap(...)`): its keys are unknown here.
      entries.push({ operator, key: '', values: [byKey] });
      continue;
    }
    for (const [key, value] of Object.entries(keys)) entries.push({ operator, key, values: Array.isArray(value) ? value : [value] });
  }
  return entries;
}

export function describeStatement(statement: ResolvedStatement, index: number): string {
  return statement.Sid ? `statement '${statement.Sid}'` : `statement ${index + 1}`;
}

/**
 * Runs `check` on every Allow statement of the block's readable policies and collects its
 * violations; undefined when the block has no readable policy (the rule does not apply).
 */
export function checkAllowStatements(
  block: Block,
  check: (statement: ResolvedStatement, index: number, attribute: string) => Violation | undefined,
): Violation[] | undefined {
  const readable = block.policies.filter((policy) => policy.statements !== undefined);
  if (readable.length === 0) return undefined;
  const violations: Violation[] = [];
  for (const policy of readable) {
    policy.statements?.forEach((statement, i) => {
      if (!isAllow(statement)) return;
      const violation = check(statement, i, policy.attribute);
      if (violation) violations.push(violation);
    });
  }
  return violations;
}
