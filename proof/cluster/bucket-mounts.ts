/**
 * Bucket volumes in the cluster layer of the isolation proof (Mountpoint for Amazon S3 as
 * synthesized), for every ordered pair of tenants (a, b):
 * - a claim of a's that names one of b's bucket volumes does not bind: the volume is
 *   pre-bound (`claimRef`) to a claim in b's namespace (the PersistentVolume controller binds
 *   a volume with a claimRef to that claim only);
 * - a's pod cannot mount a bucket inline (a `csi` volume), which would skip the volume's
 *   settings: admission denies it (the rule reads the pod only, so one request per tenant,
 *   naming another tenant's bucket, decides it for all);
 * and for every bucket volume: it names a bucket of its own tenant, and mounts with the pod's
 * own credentials (`authenticationSource: pod`), never the driver's or the node's, so even
 * a mounted volume gives a pod only what its own workload role may do (the account layer
 * proves that role reaches no other tenant's bucket).
 */
import { S3_CSI_DRIVER, S3_POD_AUTHENTICATION } from '../../constructs/cluster/s3-csi-driver';
import { admit } from './admission';
import { peopleOf } from './attacks';
import { objectsOfKind, type ApiObject, type ClusterModel, type TenantInCluster } from './cluster-model';
import { queuedGpuPod } from './queues';
import type { SynthStack } from '../resolve';

export interface MountFinding {
  readonly type: 'leak';
  readonly from: string;
  readonly to: string;
  readonly what: string;
  readonly why: string;
}

export interface MountProof {
  readonly findings: readonly MountFinding[];
  readonly checks: number;
}

/** Whether the PersistentVolume controller would bind `volume` to a claim `namespace/claim` that names it. */
export function wouldBind(volume: ApiObject, namespace: string, claim: string): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return true;
  return ref.namespace === namespace && (ref.name === undefined || ref.name === claim);
}

/** Bucket names of each tenant stack (its aws_s3_bucket resources). */
function bucketsByStack(stacks: readonly SynthStack[]): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const stack of stacks) {
    const buckets = Object.values((stack.json as { resource?: Record<string, Record<string, { bucket?: unknown }>> }).resource?.aws_s3_bucket ?? {});
    result.set(stack.name, new Set(buckets.map((b) => String(b.bucket))));
  }
  return result;
}

export function proveBucketMounts(model: ClusterModel, stacks: readonly SynthStack[]): MountProof {
  const findings: MountFinding[] = [];
  let checks = 0;
  const buckets = bucketsByStack(stacks);
  const volumes = objectsOfKind(model, 'PersistentVolume').filter((o) => (o.object as ApiObject).spec?.csi?.driver === S3_CSI_DRIVER);
  const tenantOfStack = new Map(model.tenants.map((t) => [t.stack, t]));
  const byNamespace = new Map(model.tenants.map((t) => [t.namespace, t]));
  const bucketOwners = new Map(model.tenants.flatMap((t) => [...(buckets.get(t.stack) ?? [])].map((b): [string, TenantInCluster] => [b, t])));
  const ownerOfBucket = (bucket: string): TenantInCluster | undefined => bucketOwners.get(bucket);

  for (const entry of volumes) {
    const volume = entry.object as ApiObject;
    const holder = tenantOfStack.get(entry.stack);
    const name = String(volume.metadata?.name);
    const bucket = String(volume.spec.csi.volumeAttributes?.bucketName);
    checks += 1;
    if (volume.spec.csi.volumeAttributes?.[S3_POD_AUTHENTICATION.key] !== S3_POD_AUTHENTICATION.value) {
      for (const a of model.tenants) {
        if (a === holder) continue;
        findings.push({
          type: 'leak',
          from: a.name,
          to: ownerOfBucket(bucket)?.name ?? entry.stack,
          what: `volume ${name} mounts bucket ${bucket} with the driver's or the node's credentials`,
          why: `${S3_POD_AUTHENTICATION.key} is not '${S3_POD_AUTHENTICATION.value}': whoever mounts it gets the bucket whatever their own role may do`,
        });
      }
    }
    const owner = ownerOfBucket(bucket);
    if (holder && owner && owner !== holder) {
      findings.push({
        type: 'leak',
        from: holder.name,
        to: owner.name,
        what: `${holder.name}'s volume ${name} names ${owner.name}'s bucket ${bucket}`,
        why: 'a tenant stack may only mount its own buckets',
      });
    }
    // Which other tenants' claims could bind it: none when it is pre-bound to its own namespace, one when pre-bound to another's, all without claimRef.
    checks += 1;
    const ref = volume.spec.claimRef;
    const named = ref ? byNamespace.get(String(ref.namespace)) : undefined;
    const binders = ref ? (named && named !== holder ? [named] : []) : model.tenants.filter((a) => a !== holder);
    // The other tenant names its claim as it likes, so it takes the claimRef's name.
    for (const a of binders.filter((t) => wouldBind(volume, t.namespace, String(ref?.name ?? `steal-${name}`)))) {
      findings.push({
        type: 'leak',
        from: a.name,
        to: holder?.name ?? entry.stack,
        what: `a claim in ${a.namespace} naming volume ${name} binds it`,
        why: ref ? `its claimRef names ${ref.namespace}/${ref.name ?? '*'}` : 'it has no claimRef: the first claim that names it gets it',
      });
    }
  }

  // The inline rule reads only the pod, not whose bucket it names: one request per tenant decides it for every other tenant's bucket.
  for (const a of model.tenants) {
    const target = model.tenants.find((b) => b !== a && (buckets.get(b.stack)?.size ?? 0) > 0);
    if (target === undefined) continue;
    const bucket = [...buckets.get(target.stack)!][0];
    checks += 1;
    const pod = queuedGpuPod(a);
    const inline = { ...pod, spec: { ...pod.spec, volumes: [{ name: 'data', csi: { driver: S3_CSI_DRIVER, volumeAttributes: { bucketName: bucket } } }] } };
    const decision = admit(model, {
      operation: 'CREATE',
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespaceObject: a.namespaceObject,
      object: inline,
      oldObject: null,
      userInfo: peopleOf(a),
    });
    if (!decision.allowed) continue;
    for (const b of model.tenants.filter((t) => t !== a && (buckets.get(t.stack)?.size ?? 0) > 0)) {
      findings.push({
        type: 'leak',
        from: a.name,
        to: b.name,
        what: `a pod in ${a.namespace} mounting ${b.name}'s bucket as an inline CSI volume`,
        why: 'admitted: no policy denies inline CSI volumes',
      });
    }
  }
  return { findings, checks };
}
