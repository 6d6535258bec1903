import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { bucketVolumeManifests } from './bucket-volume-manifests';

export interface TenantBucketVolumesProps {
  readonly tenantName: string;
  /** May be a reference to the namespace resource, so the claims wait for it. */
  readonly namespace: string;
  readonly region: string;
  /** Bucket name by purpose. */
  readonly buckets: Readonly<Record<string, string>>;
  readonly volumeName: (purpose: string) => string;
  readonly claimName: (purpose: string) => string;
}

/** Each tenant bucket as a PersistentVolume and its claim in the tenant namespace (see bucket-volume-manifests.ts). */
export class TenantBucketVolumes extends Construct {
  constructor(scope: Construct, id: string, props: TenantBucketVolumesProps) {
    super(scope, id);
    const purposes = Object.keys(props.buckets);
    if (purposes.length === 0) throw new Error(`bucket volumes of tenant ${props.tenantName}: no buckets to mount`);
    for (const purpose of purposes) {
      const m = bucketVolumeManifests({
        tenantName: props.tenantName,
        namespace: props.namespace,
        region: props.region,
        bucketName: props.buckets[purpose],
        volumeName: props.volumeName(purpose),
        claimName: props.claimName(purpose),
      });
      const volume = new Manifest(this, `${purpose}-volume`, { manifest: m.volume });
      new Manifest(this, `${purpose}-claim`, { manifest: m.claim, dependsOn: [volume] });
    }
  }
}
