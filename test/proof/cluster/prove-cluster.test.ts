import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { proveCluster, type ClusterProofResult } from '../../../proof/cluster/prove-cluster';
import { clusterResultText } from '../../../proof/cluster/report';
import { readSynthDir, type SynthStack } from '../../../proof/resolve';
import { generateTenants } from '../../support/tenant-generator';
import { cloneStacks, SAMPLE_TENANTS_DIR, synthInto, tempDir } from '../plant';

type Body = Record<string, any>;

function resourcesOf(stacks: SynthStack[], stackName: string, type: string): Record<string, Body> {
  const stack = stacks.find((s) => s.name === stackName);
  if (!stack) throw new Error(`no stack ${stackName}`);
  const resources = stack.json.resource as Record<string, Record<string, Body>>;
  resources[type] ??= {};
  return resources[type];
}

function manifests(stacks: SynthStack[], kind: string): [string, Body][] {
  const found = Object.entries(resourcesOf(stacks, 'shared-k8s', 'kubernetes_manifest')).filter(([, m]) => m.manifest.kind === kind);
  if (found.length === 0) throw new Error(`no ${kind} in shared-k8s`);
  return found;
}

const leaks = (result: ClusterProofResult, layer: string) => result.findings.filter((f) => f.type === 'leak' && f.layer === layer);
const attackIds = (result: ClusterProofResult) => [...new Set(leaks(result, 'admission').map((f) => f.what.split(':')[0]))].sort();

describe('cluster layer of the isolation proof', () => {
  const dirs: string[] = [];
  let samples: SynthStack[];
  beforeAll(() => {
    const out = synthInto(SAMPLE_TENANTS_DIR);
    dirs.push(path.dirname(out));
    samples = readSynthDir(out);
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('proves the samples: every attack denied, every legitimate GPU pod admitted, no pair reachable, no foreign or weakening grant', () => {
    const result = proveCluster(samples);
    expect(result.problems).toEqual([]);
    expect(result.tenants).toHaveLength(3);
    expect(result.findings).toEqual([]);
    expect(result.enforcement.enforced).toBe(true);
    // 3 legitimate pods + 6 ordered pairs x (12 attacks + 2 priority classes); 6 pairs of network checks.
    expect(result.checks.admission).toBe(3 + 6 * (12 + 2));
    expect(result.checks.network).toBe(6);
    expect(result.checks.rbac).toBeGreaterThan(6);
  });

  describe('40 generated tenants: more than are checked pair by pair', () => {
    let generated: SynthStack[];
    beforeAll(() => {
      const dir = tempDir('mlp-cluster-proof-');
      dirs.push(dir);
      generateTenants(40, dir);
      const out = synthInto(dir);
      dirs.push(path.dirname(out));
      generated = readSynthDir(out);
    });

    test('every ordered pair (--pairwise) and the pairs by class both prove them, the latter with far fewer pairs', () => {
      const every = proveCluster(generated, { pairwise: true });
      expect(every.problems).toEqual([]);
      expect(every.tenants).toHaveLength(40);
      expect(every.checks.network).toBe(40 * 39);
      expect(every.findings).toEqual([]);
      const byClass = proveCluster(generated);
      expect(byClass.findings).toEqual([]);
      expect(byClass.checks.network).toBeLessThan(every.checks.network / 10);
      expect(byClass.notes).toEqual(expect.arrayContaining([expect.stringMatching(/ordered pairs checked: 1 class of tenants/)]));
    });

    test('the pairs by class find a cross-namespace RoleBinding and one opened namespace, and nothing else', () => {
      const stacks = cloneStacks(generated);
      const tenants = stacks.filter((s) => s.name.startsWith('tenant-')).map((s) => s.name.slice('tenant-'.length));
      const [x, y, z, w] = [tenants[5], tenants[17], tenants[23], tenants[31]];
      const bindings = resourcesOf(stacks, `tenant-${x}`, 'kubernetes_role_binding_v1');
      bindings.planted = structuredClone(Object.values(bindings)[0]);
      bindings.planted.metadata.name = 'helper';
      bindings.planted.subject = [{ kind: 'Group', name: `ml-platform:tenant:${y}`, api_group: 'rbac.authorization.k8s.io' }];
      for (const [tenant, direction] of [
        [z, 'egress'],
        [w, 'ingress'],
      ] as const) {
        const policy = Object.values(resourcesOf(stacks, `tenant-${tenant}`, 'kubernetes_network_policy_v1')).find(
          (p) => p.metadata.name === 'allow-same-namespace',
        )!;
        policy.spec[direction] = [{ [direction === 'ingress' ? 'from' : 'to']: [{ namespace_selector: {} }] }];
      }
      const byClass = proveCluster(stacks);
      const pairs = (result: ClusterProofResult, layer: string) =>
        leaks(result, layer)
          .map((f) => `${f.from}>${f.to}`)
          .sort();
      expect(pairs(byClass, 'rbac')).toEqual([`${y}>${x}`]);
      expect(pairs(byClass, 'network')).toEqual([`${z}>${w}`]);
      // Exactly the leaks there are: every pair would find these and no others (the planted objects open one pair each).

      // Restricted to changed tenants: the leaks into or out of them are found, the pairs without them are not checked.
      const restricted = proveCluster(stacks, { focus: new Set([x, w]) });
      expect(restricted.focus).toEqual([x, w].sort());
      expect(pairs(restricted, 'rbac')).toEqual([`${y}>${x}`]);
      expect(pairs(restricted, 'network')).toEqual([`${z}>${w}`]);
      const other = tenants[0];
      const unrelated = proveCluster(stacks, { focus: new Set([other]) });
      expect(unrelated.findings.filter((f) => f.from !== other && f.to !== other)).toEqual([]);
      expect(unrelated.checks.network).toBeGreaterThanOrEqual(2);
      expect(unrelated.checks.network).toBeLessThan(byClass.checks.network);
      expect(clusterResultText(unrelated)).toMatch(
        new RegExp(
          `^in the cluster, between ${other} and every other tenant, no pod, Service or person of one reaches the other.*only pairs with this tenant checked`,
        ),
      );
    });
  });

  describe('planted weaknesses fail it', () => {
    test('a binding removed: the pod placement attacks of every pair are admitted', () => {
      const stacks = cloneStacks(samples);
      const [name] = manifests(stacks, 'ValidatingAdmissionPolicyBinding').find(([, m]) => m.manifest.spec.policyName === 'ml-platform-tenant-pod-placement')!;
      delete resourcesOf(stacks, 'shared-k8s', 'kubernetes_manifest')[name];
      const result = proveCluster(stacks);
      expect(attackIds(result)).toEqual([
        'any-tenant-toleration',
        'foreign-node-affinity',
        'foreign-node-selector',
        'foreign-priority-class',
        'foreign-toleration',
        'gpu-visibility',
        'node-name',
        'system-toleration',
        'wildcard-toleration',
      ]);
      expect(new Set(leaks(result, 'admission').map((f) => `${f.from}>${f.to}`)).size).toBe(6);
    });

    test('enforcement off (a binding that only warns): the Service attacks are admitted', () => {
      const stacks = cloneStacks(samples);
      const [, binding] = manifests(stacks, 'ValidatingAdmissionPolicyBinding').find(([, m]) => m.manifest.spec.policyName === 'ml-platform-tenant-services')!;
      binding.manifest.spec.validationActions = ['Warn', 'Audit'];
      expect(attackIds(proveCluster(stacks))).toEqual(['external-ips', 'load-balancer', 'node-port']);
    });

    test('a toleration rule deleted: the attacks on the tenant taint get through, the others stay denied', () => {
      const stacks = cloneStacks(samples);
      const [, policy] = manifests(stacks, 'ValidatingAdmissionPolicy').find(([, m]) => m.manifest.metadata.name === 'ml-platform-tenant-pod-placement')!;
      policy.manifest.spec.validations = policy.manifest.spec.validations.filter((v: Body) => !String(v.message).startsWith('tolerations of the tenant taint'));
      expect(attackIds(proveCluster(stacks))).toEqual(['any-tenant-toleration', 'foreign-toleration']);
    });

    test('a rule that fails to evaluate denies under failurePolicy Fail, and admits under Ignore: errors are not read as denials', () => {
      const stacks = cloneStacks(samples);
      const [, policy] = manifests(stacks, 'ValidatingAdmissionPolicy').find(([, m]) => m.manifest.metadata.name === 'ml-platform-tenant-services')!;
      policy.manifest.spec.validations = [{ expression: 'object.spec.noSuchField == 1', message: 'broken' }];
      const failClosed = proveCluster(stacks);
      expect(leaks(failClosed, 'admission')).toEqual([]);
      policy.manifest.spec.failurePolicy = 'Ignore';
      expect(attackIds(proveCluster(stacks))).toEqual(['external-ips', 'load-balancer', 'node-port']);
    });

    test('network policy enforcement off: every ordered pair is reachable', () => {
      const stacks = cloneStacks(samples);
      const cni = Object.values(resourcesOf(stacks, 'shared', 'aws_eks_addon')).find((a) => a.addon_name === 'vpc-cni')!;
      delete cni.configuration_values;
      const result = proveCluster(stacks);
      expect(result.enforcement.enforced).toBe(false);
      expect(leaks(result, 'network')).toHaveLength(6);
      expect(leaks(result, 'network')[0].why).toContain('not enforced');
    });

    test("a tenant's egress opened to all namespaces: its pods reach the others only where their ingress allows it too", () => {
      const stacks = cloneStacks(samples);
      const [a, b] = ['analytics', 'fraud-detection'];
      const open = (tenant: string, direction: 'ingress' | 'egress') => {
        const policy = Object.values(resourcesOf(stacks, `tenant-${tenant}`, 'kubernetes_network_policy_v1')).find(
          (p) => p.metadata.name === 'allow-same-namespace',
        )!;
        policy.spec[direction] = [{ [direction === 'ingress' ? 'from' : 'to']: [{ namespace_selector: {} }] }];
      };
      open(a, 'egress');
      expect(leaks(proveCluster(stacks), 'network')).toEqual([]);
      open(b, 'ingress');
      expect(leaks(proveCluster(stacks), 'network').map((f) => `${f.from}>${f.to}`)).toEqual([`${a}>${b}`]);
    });

    test("a cross-namespace RoleBinding: a's people get write access in b's namespace", () => {
      const stacks = cloneStacks(samples);
      const bindings = resourcesOf(stacks, 'tenant-fraud-detection', 'kubernetes_role_binding_v1');
      const [original] = Object.values(bindings);
      bindings.planted = structuredClone(original);
      bindings.planted.metadata.name = 'helper';
      bindings.planted.subject = [{ kind: 'Group', name: 'ml-platform:tenant:analytics', api_group: 'rbac.authorization.k8s.io' }];
      const found = leaks(proveCluster(stacks), 'rbac');
      expect(found.map((f) => `${f.from}>${f.to}`)).toEqual(['analytics>fraud-detection']);
      expect(found[0].what).toMatch(/can create, update, patch, delete/);
    });

    test("the managed-objects policy removed: a tenant's people can delete their own namespace's NetworkPolicies", () => {
      const stacks = cloneStacks(samples);
      const [name] = manifests(stacks, 'ValidatingAdmissionPolicyBinding').find(([, m]) => m.manifest.spec.policyName === 'ml-platform-managed-objects')!;
      delete resourcesOf(stacks, 'shared-k8s', 'kubernetes_manifest')[name];
      const found = leaks(proveCluster(stacks), 'rbac');
      expect(found.filter((f) => f.from === f.to && f.what.includes("delete the platform's NetworkPolicy")).length).toBeGreaterThanOrEqual(3 * 4);
      // RBAC alone keeps quota, limits and bindings: the tenant edit role cannot write them.
      expect(found.filter((f) => /ResourceQuota|LimitRange|RoleBinding/.test(f.what))).toEqual([]);
    });

    test('a tenant priority class that preempts: every ordered pair gets a preemption leak, for that class only', () => {
      const stacks = cloneStacks(samples);
      const classes = resourcesOf(stacks, 'shared-k8s', 'kubernetes_priority_class_v1');
      const planted = Object.values(classes).find((c) => c.metadata.name === 'ml-inference')!;
      planted.preemption_policy = 'PreemptLowerPriority';
      const found = leaks(proveCluster(stacks), 'admission');
      expect(found).toHaveLength(6);
      expect(found.every((f) => f.what.startsWith('preemption: a pod of priority class ml-inference'))).toBe(true);
    });

    test('a preempting priority class that admission refuses in tenant namespaces is no leak', () => {
      const stacks = cloneStacks(samples);
      const classes = resourcesOf(stacks, 'shared-k8s', 'kubernetes_priority_class_v1');
      classes.planted = { metadata: { name: 'platform-critical' }, value: 1000000, preemption_policy: 'PreemptLowerPriority' };
      expect(leaks(proveCluster(stacks), 'admission')).toEqual([]);
    });

    test('a legitimate GPU pod denied (a rule too strict) is reported as blocked', () => {
      const stacks = cloneStacks(samples);
      const [, policy] = manifests(stacks, 'ValidatingAdmissionPolicy').find(([, m]) => m.manifest.metadata.name === 'ml-platform-tenant-pod-placement')!;
      policy.manifest.spec.validations.push({ expression: '!has(object.spec.tolerations)', message: 'no tolerations at all' });
      const blocked = proveCluster(stacks).findings.filter((f) => f.type === 'blocked');
      expect(
        blocked
          .filter((f) => f.layer === 'admission')
          .map((f) => f.from)
          .sort(),
      ).toEqual(['analytics', 'fraud-detection', 'recsys-inference']);
      // The GPU tenants' queued jobs too, once Kueue writes their pool's tolerations into the pods.
      expect(blocked.filter((f) => f.layer === 'queues').map((f) => f.what)).toEqual([
        "fraud-detection's GPU job admitted by Kueue onto flavor fraud-detection.train",
        "recsys-inference's GPU job admitted by Kueue onto flavor recsys-inference.serve",
      ]);
    });
  });
});
