import fc from 'fast-check';
import { isReservedTenantName, tenantNames } from '../../config/names';
import { ECOSYSTEM_NAMESPACES, namespaceReservation } from '../../config/reserved-namespaces';
import { DNS_LABEL } from '../../config/schema';

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,40}[a-z0-9]$/).filter((s) => DNS_LABEL.test(s));

describe('derived names', () => {
  test('permission set names fit 32 characters and stay distinct when long names share their start', () => {
    const a = tenantNames('mlp', '222222222222', 'computer-vision-research-training-a').permissionSet;
    const b = tenantNames('mlp', '222222222222', 'computer-vision-research-training-b').permissionSet;
    expect(a.length).toBeLessThanOrEqual(32);
    expect(b.length).toBeLessThanOrEqual(32);
    expect(a).not.toBe(b);
    expect(tenantNames('mlp', '222222222222', 'fraud').permissionSet).toBe('mlp-fraud');
  });

  test('two different tenants never share a derived cloud or cluster name', () => {
    fc.assert(
      fc.property(label, label, (x, y) => {
        fc.pre(x !== y);
        const of = (t: string) => {
          const n = tenantNames('mlp', '222222222222', t);
          return [
            n.stack,
            n.namespace,
            n.serviceAccount,
            n.workloadRole,
            n.peopleRole,
            n.peopleBoundaryPolicy,
            n.nodeRole,
            n.keyAlias,
            n.budget,
            n.accountName,
            n.permissionSet,
            n.platformControlsPolicy,
            n.bucket('datasets'),
            n.nodePool('train'),
            n.warmNodePool('train'),
            n.kubernetesGroup,
            n.accountBudget,
          ];
        };
        const mine = new Set(of(x));
        return of(y).every((name) => !mine.has(name));
      }),
      { numRuns: 300 },
    );
  });
});

describe('reserved namespaces', () => {
  test.each(['kyverno', 'monitoring', 'gatekeeper-system', 'karpenter', 'istio-system', 'flux-system', 'amazon-cloudwatch', 'mlp-ingress'])(
    '%s is reserved',
    (name) => {
      expect(isReservedTenantName(name, 'mlp')).toBe(true);
    },
  );

  test.each(['fraud-detection', 'recsys-inference', 'analytics', 'systems-research', 'monitor'])('%s is free for a tenant', (name) => {
    expect(namespaceReservation(name, 'mlp')).toBeUndefined();
  });

  test('every listed ecosystem namespace is itself a valid tenant name shape, so the list can actually block one', () => {
    for (const name of ECOSYSTEM_NAMESPACES) expect(name).toMatch(DNS_LABEL);
  });
});
