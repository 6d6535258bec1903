/** The order in which changed stacks deploy, from the manifest's dependencies. */
import { TENANT_STACK_PREFIX } from '../../config/names';
import type { StackEntry } from '../../kernel/synth-output';

/** Stack names in deploy order: dependencies first, ties broken by name for stable output. */
export function deployOrder(names: Iterable<string>, stacks: ReadonlyMap<string, StackEntry>): string[] {
  const wanted = new Set(names);
  const order: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const dependency of [...(stacks.get(name)?.dependencies ?? [])].sort()) visit(dependency);
    visiting.delete(name);
    done.add(name);
    if (wanted.has(name)) order.push(name);
  };
  for (const name of [...wanted].sort(platformFirst)) visit(name);
  return order;
}

/** organization, account stacks, shared, shared-k8s, then tenant stacks by name. */
function platformFirst(a: string, b: string): number {
  const rank = (name: string) => (name.startsWith(TENANT_STACK_PREFIX) ? 1 : 0);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
