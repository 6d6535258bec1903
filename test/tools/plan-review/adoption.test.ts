import { adoptionFinding } from '../../../tools/plan-review/adoption';
import type { TenantFacts } from '../../../tools/plan-review/tenant-facts';

const facts = (account: TenantFacts['account']): TenantFacts => ({ name: 't', account, buckets: [], pools: [], workloads: true });

describe('adoption in the plan review', () => {
  test('a new tenant adopting an account needs a platform owner', () => {
    const finding = adoptionFinding('t', facts({ kind: 'adopted', id: '444444444444' }), undefined);
    expect(finding?.level).toBe('attention');
    expect(finding?.text).toMatch(/`t` adopts the existing account 444444444444: \*\*needs a platform owner's approval\*\*/);
  });

  test('a changed account id needs a platform owner, and names both ids', () => {
    const finding = adoptionFinding('t', facts({ kind: 'adopted', id: '555555555555' }), facts({ kind: 'adopted', id: '444444444444' }));
    expect(finding?.text).toContain('changes its adopted account from 444444444444 to 555555555555');
  });

  test('a vended account turned into an adoption needs a platform owner', () => {
    expect(adoptionFinding('t', facts({ kind: 'adopted', id: '444444444444' }), facts({ kind: 'vended', email: 'a@example.com' }))).toBeDefined();
  });

  test('an unchanged adoption or a vended account raises nothing', () => {
    expect(adoptionFinding('t', facts({ kind: 'adopted', id: '444444444444' }), facts({ kind: 'adopted', id: '444444444444' }))).toBeUndefined();
    expect(adoptionFinding('t', facts({ kind: 'vended', email: 'a@example.com' }), undefined)).toBeUndefined();
  });
});
