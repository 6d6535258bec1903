import { S3_CSI_DRIVER, S3_POD_AUTHENTICATION } from '../../constructs/cluster/s3-csi-driver';
import { asRecord, nestedBlocks, type Block, type StackView, type Verdict, type Violation } from '../rule';

/** The S3 bucket PersistentVolume of a `kubernetes_manifest` block, or undefined. */
export function bucketVolumeManifest(block: Block): Readonly<Record<string, unknown>> | undefined {
  if (block.kind !== 'resource' || block.type !== 'kubernetes_manifest') return undefined;
  const manifest = asRecord(block.config.manifest);
  return manifest?.kind === 'PersistentVolume' && asRecord(asRecord(manifest.spec)?.csi)?.driver === S3_CSI_DRIVER ? manifest : undefined;
}

const NAMESPACE_REFERENCE = /^\$\{kubernetes_namespace_v1\.([^.}]+)\.metadata\[0\]\.name\}$/;

/** The namespace a value names: a literal, or a reference to a namespace of the stack. */
function namespaceNamed(value: unknown, stack: StackView): string | undefined {
  const match = NAMESPACE_REFERENCE.exec(String(value));
  if (!match) return typeof value === 'string' ? value : undefined;
  const block = stack.blocks.find((b) => b.type === 'kubernetes_namespace_v1' && b.name === match[1]);
  const name = asRecord(nestedBlocks(block?.config.metadata)[0])?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * A tenant stack's bucket volumes (Mountpoint for S3) mount one of the stack's own buckets,
 * with the pod's credentials (never the driver's or the node's), and are pre-bound to a
 * claim in the tenant's namespace, so no other namespace's claim can bind them.
 */
export function bucketVolumeIsolated(block: Block, stack: StackView): Verdict {
  const manifest = stack.tenant === undefined ? undefined : bucketVolumeManifest(block);
  if (manifest === undefined || stack.tenant === undefined) return undefined;
  const spec = asRecord(manifest.spec) ?? {};
  const attributes = asRecord(asRecord(spec.csi)?.volumeAttributes) ?? {};
  const violations: Violation[] = [];
  if (attributes[S3_POD_AUTHENTICATION.key] !== S3_POD_AUTHENTICATION.value) {
    violations.push({
      problem: `the volume does not mount with the pod's credentials, so any pod that mounts it gets the bucket with the driver's or the node's`,
      fix: `set spec.csi.volumeAttributes.${S3_POD_AUTHENTICATION.key}: '${S3_POD_AUTHENTICATION.value}' (TenantBucketVolumes does)`,
    });
  }
  const buckets = new Set(stack.blocks.filter((b) => b.type === 'aws_s3_bucket').map((b) => b.config.bucket));
  if (!buckets.has(attributes.bucketName)) {
    violations.push({
      problem: `the volume mounts bucket '${String(attributes.bucketName)}', which is not one of the tenant's buckets`,
      fix: "mount only the stack's own buckets (tenantNames().bucket)",
    });
  }
  const claimRef = asRecord(spec.claimRef);
  if (!claimRef || namespaceNamed(claimRef.namespace, stack) !== stack.tenant || typeof claimRef.name !== 'string') {
    violations.push({
      problem: `the volume is not pre-bound to a claim in namespace ${stack.tenant}, so a claim in another namespace can bind it`,
      fix: `set spec.claimRef to { namespace: '${stack.tenant}', name: 's3-<purpose>' }`,
    });
  }
  return violations;
}
