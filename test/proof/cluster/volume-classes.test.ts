import { admit } from '../../../proof/cluster/admission';
import { readClusterModel } from '../../../proof/cluster/cluster-model';
import { proveCluster } from '../../../proof/cluster/prove-cluster';
import { claimRequest, proveVolumeClasses, volumeClasses, withDefaultClass } from '../../../proof/cluster/volume-classes';
import type { SynthStack } from '../../../proof/resolve';
import { cloneStacks, resources, tenantModels, readSampleStacks } from '../plant';

type Body = Record<string, any>;

const prove = (stacks: SynthStack[]) => {
  const model = readClusterModel(stacks);
  const pairs = model.tenants.flatMap((a) => model.tenants.filter((b) => b !== a).map((b) => [a, b] as const));
  return proveVolumeClasses(model, stacks, pairs);
};
const classOf = (stacks: SynthStack[], tenant: string): Body => Object.values(resources(stacks, tenant, 'kubernetes_storage_class_v1'))[0];
const arrows = (findings: readonly { from: string; to: string }[]) => findings.map((f) => `${f.from}->${f.to}`).sort();

describe('EBS volume classes in the cluster layer of the isolation proof', () => {
  let samples: SynthStack[];
  beforeAll(() => {
    samples = readSampleStacks();
  });

  test("proves the samples: each tenant's class is under its own key, its claims are admitted only there", () => {
    const result = prove(samples);
    expect(result.problems).toEqual([]);
    expect(result.findings).toEqual([]);
    // The 3 tenants' classes checked for their key; per tenant its own class, no class and the platform's class; per ordered
    // pair (6) the other tenant's class, in spec and in the deprecated annotation.
    expect(result.checks).toBe(3 + 3 * 3 + 6 * 2);
    const classes = volumeClasses(readClusterModel(samples), samples, []);
    expect(classes.map((c) => [c.name, c.keyOwner ?? 'platform', c.isDefault])).toEqual(
      expect.arrayContaining([
        ['gp3-encrypted', 'platform', true],
        ['analytics.gp3', 'analytics', false],
        ['fraud-detection.gp3', 'fraud-detection', false],
      ]),
    );
  });

  test("a claim without a class is given the platform's default by the API server first, and then denied", () => {
    const model = readClusterModel(samples);
    const classes = volumeClasses(model, samples, []);
    const [a] = model.tenants;
    const given = withDefaultClass(claimRequest(a, undefined), classes);
    expect(given.object?.spec.storageClassName).toBe('gp3-encrypted');
    expect(admit(model, given).denials).toEqual([expect.stringContaining("claims in tenant namespaces use the tenant's own StorageClass")]);
    expect(admit(model, claimRequest(a, `${a.name}.gp3`))).toEqual({ allowed: true, denials: [] });
  });

  test("a planted leak: analytics' class encrypting with fraud-detection's key is caught, and its claims with it", () => {
    const stacks = cloneStacks(samples);
    const foreignKey = tenantModels(stacks).get('fraud-detection')!.keys[0].arn;
    classOf(stacks, 'analytics').parameters.kmsKeyId = foreignKey;
    const { findings } = prove(stacks);
    expect(arrows(findings)).toEqual(['analytics->fraud-detection', 'analytics->fraud-detection']);
    expect(findings.map((f) => f.what)).toEqual([
      "analytics's StorageClass analytics.gp3 encrypts its volumes with fraud-detection's key",
      'a claim of class analytics.gp3 in analytics is admitted',
    ]);
  });

  test("a tenant class without a key (the account's AWS-managed key) is caught", () => {
    const stacks = cloneStacks(samples);
    delete classOf(stacks, 'analytics').parameters.kmsKeyId;
    expect(prove(stacks).findings.map((f) => f.what)).toEqual([
      "analytics's StorageClass analytics.gp3 encrypts its volumes with the account's AWS-managed key (no kmsKeyId)",
      'a claim of class analytics.gp3 in analytics is admitted',
    ]);
  });

  test("without the claim policy, claims naming another tenant's class, the platform's or none are leaks", () => {
    const stacks = cloneStacks(samples);
    const sharedK8s = stacks.find((s) => s.name === 'shared-k8s')!;
    const objects = (sharedK8s.json.resource as Record<string, Record<string, Body>>).kubernetes_manifest;
    for (const [name, body] of Object.entries(objects)) if (body.manifest.metadata?.name === 'ml-platform-tenant-volume-claims') delete objects[name];
    const result = proveCluster(stacks);
    const storage = result.findings.filter((f) => f.layer === 'storage');
    // Per tenant: a class-less claim and one naming the platform's class (both on the platform key); per ordered pair: the other's class.
    expect(storage.filter((f) => f.from === 'analytics').map((f) => `${f.to}: ${f.what}`)).toEqual([
      'analytics: a claim without a class (given gp3-encrypted) in analytics is admitted',
      'analytics: a claim of class gp3-encrypted in analytics is admitted',
      'fraud-detection: a claim of class fraud-detection.gp3 in analytics is admitted',
      'fraud-detection: a claim of class analytics.gp3 annotated volume.beta.kubernetes.io/storage-class: fraud-detection.gp3 in analytics is admitted',
      'recsys-inference: a claim of class recsys-inference.gp3 in analytics is admitted',
      'recsys-inference: a claim of class analytics.gp3 annotated volume.beta.kubernetes.io/storage-class: recsys-inference.gp3 in analytics is admitted',
    ]);
    expect(storage).toHaveLength(3 * 6);
  });

  test("denies the own class in spec with another tenant's in the deprecated annotation (Kubernetes reads the annotation first), on create and update", () => {
    const model = readClusterModel(samples);
    const [a, b] = model.tenants;
    const own = `${a.name}.gp3`;
    expect(admit(model, claimRequest(a, own, own)).allowed).toBe(true);
    const foreign = claimRequest(a, own, `${b.name}.gp3`);
    expect(admit(model, foreign).denials).toEqual([expect.stringContaining('volume.beta.kubernetes.io/storage-class, if set, to the same')]);
    // A pending claim (WaitForFirstConsumer) annotated afterwards would be provisioned in b's class.
    const pending = claimRequest(a, own).object!;
    expect(admit(model, { ...foreign, operation: 'UPDATE', oldObject: pending }).allowed).toBe(false);
    // Annotated alone, with no class in spec: the default admission leaves it so, and it is denied.
    expect(admit(model, claimRequest(a, undefined, `${b.name}.gp3`)).allowed).toBe(false);
  });

  test('admits a static claim of a pre-bound volume and updates that keep the class; denies changing it or an empty class without a volume', () => {
    const model = readClusterModel(samples);
    const [a, b] = model.tenants;
    const base = claimRequest(a, '');
    const staticClaim = { ...base.object!, spec: { ...base.object!.spec, volumeName: `${a.name}.datasets` } };
    expect(admit(model, { ...base, object: staticClaim }).allowed).toBe(true);
    expect(admit(model, base).allowed).toBe(false);
    const old = claimRequest(a, 'gp3-encrypted').object!;
    const resized = { ...old, spec: { ...old.spec, resources: { requests: { storage: '20Gi' } } } };
    expect(admit(model, { ...base, operation: 'UPDATE', oldObject: old, object: resized }).allowed).toBe(true);
    const moved = { ...old, spec: { ...old.spec, storageClassName: `${b.name}.gp3` } };
    expect(admit(model, { ...base, operation: 'UPDATE', oldObject: old, object: moved }).allowed).toBe(false);
  });
});
