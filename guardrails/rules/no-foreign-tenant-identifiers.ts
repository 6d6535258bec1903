import type { Block, StackView, Verdict } from '../rule';

function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) yield* stringsIn(item);
}

/** A tenant stack names nothing of another tenant: no name, ARN, account id, e-mail or namespace. */
export function noForeignTenantIdentifiers(block: Block, stack: StackView): Verdict {
  if (stack.tenant === undefined) return undefined;
  const found = new Map<string, string>();
  for (const text of stringsIn(block.config)) {
    for (const { identifier, owner } of stack.tenants.foreignIdentifiers(text, stack.tenant)) found.set(identifier, owner);
  }
  return [...found].map(([identifier, owner]) => ({
    problem: `it names '${identifier}', an identifier of tenant '${owner}'`,
    fix: `take every value from tenant '${stack.tenant}' (its tenant file and tenantNames()), never from another tenant`,
  }));
}
