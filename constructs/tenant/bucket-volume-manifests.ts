/**
 * A tenant bucket as a volume its pods mount (Mountpoint for Amazon S3), as plain manifests:
 * a PersistentVolume, cluster-scoped, pre-bound by `claimRef` to one claim in the tenant's
 * namespace (no claim of another namespace can bind it), that mounts with the pod's own
 * credentials (`authenticationSource: pod`: the tenant's workload role through its service
 * account), and that claim. Static provisioning: the bucket exists, nothing is created.
 */
import { MANAGED_BY_LABEL, TENANT_LABEL } from '../../config/names';
import { S3_CSI_DRIVER, S3_POD_AUTHENTICATION } from '../cluster/s3-csi-driver';

/** Mountpoint ignores the size; Kubernetes requires one. */
export const BUCKET_VOLUME_SIZE = '1200Gi';

export interface BucketVolumeProps {
  readonly tenantName: string;
  readonly namespace: string;
  readonly region: string;
  readonly bucketName: string;
  /** PersistentVolume name, cluster-wide unique: `<tenant>.<purpose>`. */
  readonly volumeName: string;
  /** Claim name in the tenant namespace: `s3-<purpose>`. */
  readonly claimName: string;
}

export interface BucketVolumeManifests {
  readonly volume: Record<string, unknown>;
  readonly claim: Record<string, unknown>;
}

export function bucketVolumeManifests(props: BucketVolumeProps): BucketVolumeManifests {
  const labels = { [TENANT_LABEL]: props.tenantName, [MANAGED_BY_LABEL.key]: MANAGED_BY_LABEL.value };
  return {
    volume: {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: props.volumeName, labels },
      spec: {
        capacity: { storage: BUCKET_VOLUME_SIZE },
        accessModes: ['ReadWriteMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        claimRef: { namespace: props.namespace, name: props.claimName },
        mountOptions: ['allow-delete', `region ${props.region}`],
        csi: {
          driver: S3_CSI_DRIVER,
          volumeHandle: props.volumeName,
          volumeAttributes: { bucketName: props.bucketName, [S3_POD_AUTHENTICATION.key]: S3_POD_AUTHENTICATION.value },
        },
      },
    },
    claim: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: props.claimName, namespace: props.namespace, labels },
      spec: { accessModes: ['ReadWriteMany'], storageClassName: '', resources: { requests: { storage: BUCKET_VOLUME_SIZE } }, volumeName: props.volumeName },
    },
  };
}
