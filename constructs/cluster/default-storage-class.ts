import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { Construct } from 'constructs';
import { MANAGED_BY_LABEL } from '../../config/names';
import { EBS_CSI_PROVISIONER } from './ebs-csi-driver';

/** The annotation that makes a StorageClass the one a claim without `storageClassName` gets. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** The volume every claim gets unless it names another class: encrypted gp3. */
export const DEFAULT_STORAGE_PARAMETERS = { type: 'gp3', encrypted: 'true' } as const;

export interface DefaultStorageClassProps {
  /** @default 'gp3-encrypted' */
  readonly name?: string;
}

/**
 * The cluster's default StorageClass: encrypted gp3 EBS volumes from the EBS CSI driver,
 * created in the zone of the node the pod is scheduled to (WaitForFirstConsumer), deleted
 * with their claim, expandable.
 */
export class DefaultStorageClass extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: DefaultStorageClassProps = {}) {
    super(scope, id);
    const storageClass = new StorageClassV1(this, 'storage-class', {
      metadata: {
        name: props.name ?? 'gp3-encrypted',
        annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' },
        labels: { [MANAGED_BY_LABEL.key]: MANAGED_BY_LABEL.value },
      },
      storageProvisioner: EBS_CSI_PROVISIONER,
      parameters: { ...DEFAULT_STORAGE_PARAMETERS },
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
      allowVolumeExpansion: true,
    });
    this.name = storageClass.metadata.name;
  }
}
