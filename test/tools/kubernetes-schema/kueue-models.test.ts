import { kueueModel } from '../../../tools/kubernetes-schema/kueue-models';

/** The validation error of an object, or undefined when it is valid. */
function errorOf(object: Record<string, any>): string | undefined {
  const Model = kueueModel(object.kind);
  if (!Model) throw new Error(`no model for ${object.kind}`);
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const API = 'kueue.x-k8s.io/v1beta1';
const clone = <T>(o: T): any => JSON.parse(JSON.stringify(o));

// Examples from Kueue's documentation (concepts: Cluster Queue, Resource Flavor, Local Queue), restricted to the fields the platform writes.
const DOCUMENTED_CLUSTER_QUEUE = {
  apiVersion: API,
  kind: 'ClusterQueue',
  metadata: { name: 'cluster-queue' },
  spec: {
    namespaceSelector: {},
    cohort: 'team-ab',
    queueingStrategy: 'BestEffortFIFO',
    resourceGroups: [
      {
        coveredResources: ['cpu', 'memory'],
        flavors: [
          {
            name: 'spot',
            resources: [
              { name: 'cpu', nominalQuota: 9, borrowingLimit: '1' },
              { name: 'memory', nominalQuota: '36Gi' },
            ],
          },
          {
            name: 'on-demand',
            resources: [
              { name: 'cpu', nominalQuota: '18' },
              { name: 'memory', nominalQuota: '72Gi', lendingLimit: '10Gi' },
            ],
          },
        ],
      },
      { coveredResources: ['nvidia.com/gpu'], flavors: [{ name: 'a100', resources: [{ name: 'nvidia.com/gpu', nominalQuota: '8' }] }] },
    ],
    preemption: { reclaimWithinCohort: 'Any', borrowWithinCohort: { policy: 'LowerPriority' }, withinClusterQueue: 'LowerPriority' },
  },
};
const DOCUMENTED_FLAVOR = {
  apiVersion: API,
  kind: 'ResourceFlavor',
  metadata: { name: 'spot' },
  spec: {
    nodeLabels: { 'instance-type': 'spot' },
    nodeTaints: [{ effect: 'NoSchedule', key: 'spot', value: 'true' }],
    tolerations: [{ key: 'spot-taint', operator: 'Exists', effect: 'NoSchedule' }],
  },
};
const DOCUMENTED_LOCAL_QUEUE = {
  apiVersion: API,
  kind: 'LocalQueue',
  metadata: { namespace: 'team-a', name: 'team-a-queue' },
  spec: { clusterQueue: 'cluster-queue' },
};

describe('Kueue model (kueue.x-k8s.io/v1beta1)', () => {
  test('the documented examples are valid', () => {
    // nominalQuota 9 as a number, as the documented YAML writes it: quantities are int-or-string.
    expect(errorOf(DOCUMENTED_CLUSTER_QUEUE)).toBeUndefined();
    expect(errorOf(DOCUMENTED_FLAVOR)).toBeUndefined();
    expect(errorOf(DOCUMENTED_LOCAL_QUEUE)).toBeUndefined();
  });

  test('a flavor must list the covered resources in their order (the CRD rule)', () => {
    const queue = clone(DOCUMENTED_CLUSTER_QUEUE);
    queue.spec.resourceGroups[0].flavors[1].resources.reverse();
    expect(errorOf(queue)).toMatch(/flavors on-demand must list the covered resources \(cpu, memory\)/);
    queue.spec.resourceGroups[0].flavors[1].resources = [{ name: 'cpu', nominalQuota: '1' }];
    expect(errorOf(queue)).toMatch(/on-demand must list/);
  });

  test('borrowing and lending limits need a cohort', () => {
    const queue = clone(DOCUMENTED_CLUSTER_QUEUE);
    delete queue.spec.cohort;
    expect(errorOf(queue)).toMatch(/borrowingLimit and lendingLimit must be nil when cohort is empty/);
  });

  test('a resource or a flavor belongs to one group only', () => {
    const queue = clone(DOCUMENTED_CLUSTER_QUEUE);
    queue.spec.resourceGroups[1].flavors[0].name = 'spot';
    expect(errorOf(queue)).toMatch(/flavors spot appear in more than one group/);
    queue.spec.resourceGroups[1].coveredResources = ['cpu'];
    queue.spec.resourceGroups[1].flavors[0].resources[0].name = 'cpu';
    expect(errorOf(queue)).toMatch(/resources cpu are covered by more than one group/);
  });

  test('enums, quantities, names and required fields are checked', () => {
    const cases: [(q: any) => void, RegExp][] = [
      [(q) => (q.spec.queueingStrategy = 'FIFO'), /queueingStrategy must be one of StrictFIFO, BestEffortFIFO/],
      [(q) => (q.spec.preemption.reclaimWithinCohort = 'Always'), /reclaimWithinCohort must be one of/],
      [(q) => (q.spec.resourceGroups[1].flavors[0].resources[0].nominalQuota = 'eight'), /nominalQuota 'eight' does not match/],
      [(q) => (q.spec.cohort = 'Team_AB'), /cohort 'Team_AB' does not match/],
      [(q) => delete q.spec.resourceGroups[1].flavors[0].resources[0].nominalQuota, /must have required property nominalQuota/],
      [(q) => (q.spec.stopPolicy = 'Hold'), /unknown field 'stopPolicy'/],
    ];
    for (const [change, expected] of cases) {
      const queue = clone(DOCUMENTED_CLUSTER_QUEUE);
      change(queue);
      expect(errorOf(queue)).toMatch(expected);
    }
    expect(cases).toHaveLength(6);
  });

  test('a LocalQueue is namespaced and names its ClusterQueue; a flavor toleration with Exists has no value', () => {
    const local = clone(DOCUMENTED_LOCAL_QUEUE);
    delete local.metadata.namespace;
    delete local.spec.clusterQueue;
    expect(errorOf(local)).toMatch(/metadata must have required property namespace.*spec must have required property clusterQueue/);
    const flavor = clone(DOCUMENTED_FLAVOR);
    flavor.spec.tolerations[0].value = 'x';
    expect(errorOf(flavor)).toMatch(/operator Exists has no value/);
  });

  test('a kind the platform does not write has no model, so the schema check reports it', () => {
    expect(kueueModel('Workload')).toBeUndefined();
  });
});
