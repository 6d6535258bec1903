import { readClusterModel } from '../../../proof/cluster/cluster-model';
import { proveCluster } from '../../../proof/cluster/prove-cluster';
import { proveQueues, queuedGpuJob } from '../../../proof/cluster/queues';
import { admit } from '../../../proof/cluster/admission';
import { peopleOf } from '../../../proof/cluster/attacks';
import type { SynthStack } from '../../../proof/resolve';
import { cloneStacks, readSampleStacks } from '../plant';

type Body = Record<string, any>;

/** The synthesized manifest of one Kueue kind in a tenant stack. */
function kueueObjects(stacks: SynthStack[], tenant: string, kind: string): Body[] {
  const stack = stacks.find((s) => s.name === `tenant-${tenant}`)!;
  const manifests = Object.values((stack.json.resource as Record<string, Record<string, Body>>).kubernetes_manifest ?? {});
  return manifests.map((m) => m.manifest).filter((m) => m.kind === kind);
}

// One synth of the samples for both parts: the tests clone it before they plant anything.
let samples: SynthStack[];
beforeAll(() => {
  samples = readSampleStacks();
});

describe('job queues in the cluster layer of the isolation proof', () => {
  test('proves the samples: each tenant is served by its own queue only, on its own flavors, and its queued GPU jobs are admitted', () => {
    const result = proveQueues(readClusterModel(samples));
    expect(result.findings).toEqual([]);
    expect(result.unqueued).toEqual([]);
    // 3 namespaces, each with a queued and an unqueued Job; analytics 1 flavor, fraud-detection and recsys-inference 2 each, and one admitted GPU pod per GPU flavor.
    expect(result.checks).toBe(3 * 3 + 5 + 2);
    expect(proveCluster(samples).checks.queues).toBe(result.checks);
  });

  test("a queue that lists another tenant's pool flavor is a leak from its tenant to the pool's", () => {
    const stacks = cloneStacks(samples);
    const [queue] = kueueObjects(stacks, 'recsys-inference', 'ClusterQueue');
    queue.spec.resourceGroups[1].flavors.push({ name: 'fraud-detection.train', resources: [{ name: 'nvidia.com/gpu', nominalQuota: '4', lendingLimit: '0' }] });
    const leaks = proveQueues(readClusterModel(stacks)).findings;
    expect(leaks).toEqual([
      expect.objectContaining({
        type: 'leak',
        from: 'recsys-inference',
        to: 'fraud-detection',
        what: expect.stringContaining("lists fraud-detection's flavor fraud-detection.train"),
      }),
    ]);
  });

  test("a queue whose namespaceSelector selects every tenant namespace takes the other tenants' jobs", () => {
    const stacks = cloneStacks(samples);
    const [queue] = kueueObjects(stacks, 'analytics', 'ClusterQueue');
    queue.spec.namespaceSelector = { matchExpressions: [{ key: 'tenant', operator: 'Exists' }] };
    const leaks = proveQueues(readClusterModel(stacks)).findings;
    expect(leaks.map((f) => `${f.from}->${f.to}`).sort()).toEqual(['fraud-detection->analytics', 'recsys-inference->analytics']);
    // Restricted to the tenant whose queue changed, the other tenants' jobs it takes are still found.
    const restricted = proveQueues(readClusterModel(stacks), new Set(['analytics'])).findings;
    expect(restricted.map((f) => `${f.from}->${f.to}`).sort()).toEqual(['fraud-detection->analytics', 'recsys-inference->analytics']);
  });

  test('a flavor shared by two tenants in the cohort and lent is a borrowing leak; with lendingLimit 0 only the foreign flavor remains', () => {
    const stacks = cloneStacks(samples);
    const [fraud] = kueueObjects(stacks, 'fraud-detection', 'ClusterQueue');
    const [recsys] = kueueObjects(stacks, 'recsys-inference', 'ClusterQueue');
    const train = fraud.spec.resourceGroups[1].flavors[0];
    delete train.resources[0].lendingLimit;
    recsys.spec.resourceGroups[1].flavors.push({ name: train.name, resources: [{ name: 'nvidia.com/gpu', nominalQuota: '0' }] });
    const whats = proveQueues(readClusterModel(stacks)).findings.map((f) => f.what);
    expect(whats).toContain("recsys-inference's queue borrows fraud-detection's quota on flavor fraud-detection.train in cohort ml-platform");
    train.resources[0].lendingLimit = '0';
    expect(proveQueues(readClusterModel(stacks)).findings.map((f) => f.what)).toEqual([
      expect.stringContaining("recsys-inference's ClusterQueue recsys-inference lists fraud-detection's flavor"),
    ]);
  });

  test('a tenant without a queue is reported, not proved', () => {
    const stacks = cloneStacks(samples);
    const stack = stacks.find((s) => s.name === 'tenant-analytics')!;
    const manifests = (stack.json.resource as Record<string, Record<string, Body>>).kubernetes_manifest;
    for (const [key, m] of Object.entries(manifests)) if (m.manifest.kind === 'ClusterQueue') delete manifests[key];
    expect(proveQueues(readClusterModel(stacks)).unqueued).toEqual(['analytics']);
    expect(proveCluster(stacks).notes).toContain('no ClusterQueue serves the namespaces of: analytics (their jobs cannot be queued)');
  });
});

describe('queued jobs under the synthesized admission policies', () => {
  test('without the queued-jobs policy, a Job that skips the queue is a leak of its own tenant for every tenant', () => {
    const stacks = cloneStacks(samples);
    const k8s = stacks.find((s) => s.name === 'shared-k8s')!;
    const manifests = (k8s.json.resource as Record<string, Record<string, Body>>).kubernetes_manifest;
    for (const [key, m] of Object.entries(manifests)) if (m.manifest.spec?.policyName === 'ml-platform-tenant-queued-jobs') delete manifests[key];
    const leaks = proveQueues(readClusterModel(stacks)).findings;
    expect(leaks.map((f) => `${f.type} ${f.from}->${f.to}`)).toEqual([
      'leak analytics->analytics',
      'leak fraud-detection->fraud-detection',
      'leak recsys-inference->recsys-inference',
    ]);
    // Restricted to one changed tenant, its own jobs are checked, and no other tenant's.
    const restricted = proveQueues(readClusterModel(stacks), new Set(['fraud-detection'])).findings;
    expect(restricted.map((f) => `${f.type} ${f.from}->${f.to}`)).toEqual(['leak fraud-detection->fraud-detection']);
  });

  test('a queued Job cannot be taken out of its queue by an update, and a Job from before the rule can still be updated', () => {
    const model = readClusterModel(samples);
    const [a] = model.tenants;
    const queued = queuedGpuJob(a);
    const unqueued = { ...queued, metadata: { ...queued.metadata, labels: {} } };
    const update = (oldObject: Body, object: Body) =>
      admit(model, {
        operation: 'UPDATE',
        resource: { group: 'batch', version: 'v1', resource: 'jobs' },
        namespaceObject: a.namespaceObject,
        object,
        oldObject,
        userInfo: peopleOf(a),
      });
    expect(update(queued, unqueued).allowed).toBe(false);
    expect(update(queued, queued).allowed).toBe(true);
    expect(update(unqueued, unqueued).allowed).toBe(true);
  });
});
