import type { ClusterModel, TenantInCluster } from '../../../proof/cluster/cluster-model';
import { reachability } from '../../../proof/cluster/network';
import { selectorMatches } from '../../../proof/cluster/selectors';

const tenant = (name: string): TenantInCluster => ({
  name,
  stack: `tenant-${name}`,
  namespace: name,
  namespaceObject: { metadata: { name, labels: { tenant: name, 'kubernetes.io/metadata.name': name } } },
  groups: [],
});
const [a, b] = [tenant('a'), tenant('b')];

function policy(namespace: string, name: string, spec: Record<string, unknown>) {
  return {
    stack: `tenant-${namespace}`,
    address: `kubernetes_network_policy_v1.${name}`,
    path: name,
    object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec },
  };
}
const denyAll = (ns: string) => policy(ns, `${ns}-deny`, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

function model(...objects: ReturnType<typeof policy>[]): ClusterModel {
  return {
    tenants: [a, b],
    objects,
    withoutNamespace: [],
    networkPolicyEnforcement: { enforced: true, reason: 'test' },
    podCidrs: ['10.40.0.0/18', '10.40.64.0/18'],
    problems: [],
  };
}

describe('network reachability between tenants', () => {
  test('default deny on both sides: isolated; without any policy: reachable', () => {
    expect(reachability(model(denyAll('a'), denyAll('b')), a, b).reachable).toBe(false);
    expect(reachability(model(), a, b).reachable).toBe(true);
  });

  test('needs both the egress of the sender and the ingress of the receiver', () => {
    const egressAll = policy('a', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
    const ingressFromA = policy('b', 'in', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { tenant: 'a' } } }] }],
    });
    expect(reachability(model(denyAll('a'), denyAll('b'), egressAll), a, b).reachable).toBe(false);
    // b's rule selects only app=web pods, but a pod with that label exists as soon as b runs one: reachable.
    expect(reachability(model(denyAll('a'), denyAll('b'), egressAll, ingressFromA), a, b).reachable).toBe(true);
    expect(reachability(model(denyAll('a'), denyAll('b'), egressAll, ingressFromA), b, a).reachable).toBe(false);
  });

  test("an isolating policy that selects only some pods does not isolate: b's other pods are open", () => {
    const partial = policy('b', 'web-only', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] });
    expect(reachability(model(partial), a, b).reachable).toBe(true);
  });

  test('ipBlocks admit pods only where they cover pod addresses beyond their exceptions', () => {
    const egress = (block: Record<string, unknown>) => policy('a', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: block }] }] });
    const ingressAll = policy('b', 'in', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] });
    const reach = (block: Record<string, unknown>) => reachability(model(denyAll('a'), denyAll('b'), ingressAll, egress(block)), a, b).reachable;
    expect(reach({ cidr: '0.0.0.0/0', except: ['10.40.0.0/16'] })).toBe(false);
    expect(reach({ cidr: '10.40.224.0/21' })).toBe(false);
    expect(reach({ cidr: '0.0.0.0/0', except: ['10.40.0.0/18'] })).toBe(true);
    expect(reach({ cidr: '10.40.64.5/32' })).toBe(true);
  });

  test('enforcement off: every pair reachable whatever the policies', () => {
    const off = { ...model(denyAll('a'), denyAll('b')), networkPolicyEnforcement: { enforced: false, reason: 'agent off' } };
    expect(reachability(off, a, b)).toEqual({ reachable: true, why: 'NetworkPolicies are not enforced: agent off' });
  });
});

describe('label selectors', () => {
  test('match labels and the four expression operators', () => {
    const labels = { tenant: 'a', tier: 'gpu' };
    expect(selectorMatches({ matchLabels: { tenant: 'a' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { tenant: 'b' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tenant', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tenant', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['cpu'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['cpu'] }] }, labels)).toBe(true);
    expect(selectorMatches({}, {})).toBe(true);
  });
});
