/** Markdown details that must hold for any input. */
import type { BlockChange } from '../../../tools/plan-review/compare';
import { code, groupBySameChanges } from '../../../tools/plan-review/render';
import type { TenantReview } from '../../../tools/plan-review/review';
import { tenantFacts } from '../../../tools/plan-review/tenant-facts';

describe('inline code', () => {
  it('keeps a value with backticks inside one code span', () => {
    expect(code('a`b')).toBe('`` a`b ``');
  });

  it('puts a multi-line value on one line and bounds its length', () => {
    const shown = code(`line1\n${'x'.repeat(500)}`, 40);
    expect(shown).not.toContain('\n');
    expect(shown.length).toBeLessThanOrEqual(42);
    expect(shown).toContain('…');
  });

  it('shows an unset value as (none) and a list of scalars in brackets', () => {
    expect(code(undefined)).toBe('_(none)_');
    expect(code(['g6.xlarge', 'g5.xlarge'])).toBe('`[g6.xlarge, g5.xlarge]`');
  });
});

function tenant(name: string, value: string): TenantReview {
  const change = {
    stack: 'organization',
    action: 'update',
    address: `aws_budgets_budget.${name}-budget_${name === 'a' ? '0BD15F08' : 'A2419257'}`,
    path: `${name}-budget/budget`,
    kind: 'resource',
    type: 'aws_budgets_budget',
    attributes: [{ path: 'tags.owner', before: 'team', after: value, forcesReplacement: false }],
    dataBearing: false,
    protectionRemoved: false,
  } as unknown as BlockChange;
  const facts = tenantFacts(name, undefined, []);
  return { name, status: 'changed', facts, baseFacts: facts, changes: [change], ceiling: { monthlyUsd: 0, pools: [], spot: false, unpriced: [] } };
}

describe('grouping changed tenants', () => {
  it('groups tenants whose changes differ only by their names and id hashes', () => {
    expect(groupBySameChanges([tenant('a', 'platform'), tenant('b', 'platform')]).map((g) => g.map((t) => t.name))).toEqual([['a', 'b']]);
  });

  it('keeps tenants with different values apart', () => {
    expect(groupBySameChanges([tenant('a', 'platform'), tenant('b', 'other')]).length).toBe(2);
  });
});
