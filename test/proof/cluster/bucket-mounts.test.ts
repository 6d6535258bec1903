import { proveBucketMounts, wouldBind } from '../../../proof/cluster/bucket-mounts';
import { readClusterModel } from '../../../proof/cluster/cluster-model';
import { proveCluster } from '../../../proof/cluster/prove-cluster';
import type { SynthStack } from '../../../proof/resolve';
import { cloneStacks, readSampleStacks } from '../plant';

type Body = Record<string, any>;

function manifestsOf(stacks: SynthStack[], stackName: string): Record<string, Body> {
  return (stacks.find((s) => s.name === stackName)!.json.resource as Record<string, Record<string, Body>>).kubernetes_manifest;
}
const volumesOf = (stacks: SynthStack[], tenant: string) =>
  Object.values(manifestsOf(stacks, `tenant-${tenant}`))
    .map((m) => m.manifest)
    .filter((m) => m.kind === 'PersistentVolume');
const prove = (stacks: SynthStack[]) => proveBucketMounts(readClusterModel(stacks), stacks);

describe('bucket volumes in the cluster layer of the isolation proof', () => {
  let samples: SynthStack[];
  beforeAll(() => {
    samples = readSampleStacks();
  });

  test("proves the samples: no tenant binds or mounts another tenant's bucket", () => {
    const result = prove(samples);
    expect(result.findings).toEqual([]);
    // 7 bucket volumes (2 + 3 + 2), each checked for its bucket and credentials and for who can bind it, and one inline-mount attempt per tenant.
    expect(result.checks).toBe(7 * 2 + 3);
    // The storage layer also checks the EBS volume classes (volume-classes.test.ts): 24 checks for the samples.
    expect(proveCluster(samples).checks.storage).toBe(result.checks + 24);
  });

  test('a volume pre-bound to a claim binds only that claim; one without claimRef binds any', () => {
    const volume = { spec: { claimRef: { namespace: 'a', name: 's3-datasets' } } };
    expect(wouldBind(volume, 'a', 's3-datasets')).toBe(true);
    expect(wouldBind(volume, 'b', 's3-datasets')).toBe(false);
    expect(wouldBind({ spec: {} }, 'b', 'x')).toBe(true);
  });

  test("a volume pre-bound to another tenant's namespace is a leak from that tenant only", () => {
    const stacks = cloneStacks(samples);
    volumesOf(stacks, 'analytics')[0].spec.claimRef.namespace = 'recsys-inference';
    expect(prove(stacks).findings.map((f) => `${f.from}->${f.to}`)).toEqual(['recsys-inference->analytics']);
  });

  test('a volume without claimRef is a leak from every other tenant to its owner', () => {
    const stacks = cloneStacks(samples);
    delete volumesOf(stacks, 'analytics')[0].spec.claimRef;
    const leaks = prove(stacks).findings;
    expect(leaks.map((f) => `${f.from}->${f.to}`).sort()).toEqual(['fraud-detection->analytics', 'recsys-inference->analytics']);
  });

  test("a volume that mounts with the driver's identity, or names another tenant's bucket, is a leak", () => {
    const stacks = cloneStacks(samples);
    const [volume] = volumesOf(stacks, 'analytics');
    delete volume.spec.csi.volumeAttributes.authenticationSource;
    const fraudBucket = volumesOf(stacks, 'fraud-detection')[0].spec.csi.volumeAttributes.bucketName;
    volume.spec.csi.volumeAttributes.bucketName = fraudBucket;
    const whats = prove(stacks).findings.map((f) => `${f.from}->${f.to}: ${f.what}`);
    expect(whats).toEqual([
      `fraud-detection->fraud-detection: volume ${volume.metadata.name} mounts bucket ${fraudBucket} with the driver's or the node's credentials`,
      `recsys-inference->fraud-detection: volume ${volume.metadata.name} mounts bucket ${fraudBucket} with the driver's or the node's credentials`,
      `analytics->fraud-detection: analytics's volume ${volume.metadata.name} names fraud-detection's bucket ${fraudBucket}`,
    ]);
  });

  test("without the admission rule on inline CSI volumes, every tenant mounts every other tenant's bucket inline", () => {
    const stacks = cloneStacks(samples);
    const policy = Object.values(manifestsOf(stacks, 'shared-k8s')).find(
      (m) => m.manifest.kind === 'ValidatingAdmissionPolicy' && m.manifest.metadata.name === 'ml-platform-tenant-pod-placement',
    )!;
    policy.manifest.spec.validations = policy.manifest.spec.validations.filter((v: Body) => !String(v.message).startsWith('inline CSI volumes'));
    expect(prove(stacks).findings).toHaveLength(6);
  });
});
