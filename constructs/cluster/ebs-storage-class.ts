import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { Construct } from 'constructs';
import { MANAGED_BY_LABEL } from '../../config/names';
import { EBS_CSI_PROVISIONER } from './ebs-csi-driver';

/** The annotation that makes a StorageClass the one a claim without `storageClassName` gets. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** What every class's volumes are: encrypted gp3. The key is each class's own (`kmsKeyId`). */
export const EBS_VOLUME_PARAMETERS = { type: 'gp3', encrypted: 'true' } as const;

/** The EBS CSI driver's StorageClass parameter naming the volumes' KMS key (a key ARN: an alias or id would not cross accounts). */
export const KMS_KEY_PARAMETER = 'kmsKeyId';

/** The driver's parameters `tagSpecification_<n>: "key=value"`: tags of every volume the class creates. */
export function tagParameters(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tags)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value], i) => [`tagSpecification_${i + 1}`, `${key}=${value}`]),
  );
}

export interface EbsStorageClassProps {
  readonly name: string;
  /** ARN of the customer-managed key every volume of the class is encrypted with. */
  readonly kmsKeyArn: string;
  /** Whether claims without `storageClassName` get this class (one class of the cluster at most). @default false */
  readonly isDefault?: boolean;
  /** Labels of the class, e.g. its tenant. @default only the managed-by label */
  readonly labels?: Readonly<Record<string, string>>;
  /** Tags of the volumes (cost allocation: the volumes live in the platform account). @default none */
  readonly volumeTags?: Readonly<Record<string, string>>;
}

/**
 * A StorageClass of the EBS CSI driver: gp3 volumes encrypted with the given
 * customer-managed key, created in the zone of the node the pod is scheduled to
 * (WaitForFirstConsumer), deleted with their claim, expandable.
 */
export class EbsStorageClass extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: EbsStorageClassProps) {
    super(scope, id);
    if (props.kmsKeyArn.trim() === '')
      throw new Error(`StorageClass ${props.name}: kmsKeyArn is empty; give the ARN of the key its volumes are encrypted with`);
    const storageClass = new StorageClassV1(this, 'storage-class', {
      metadata: {
        name: props.name,
        annotations: props.isDefault ? { [DEFAULT_CLASS_ANNOTATION]: 'true' } : undefined,
        labels: { ...props.labels, [MANAGED_BY_LABEL.key]: MANAGED_BY_LABEL.value },
      },
      storageProvisioner: EBS_CSI_PROVISIONER,
      parameters: { ...EBS_VOLUME_PARAMETERS, [KMS_KEY_PARAMETER]: props.kmsKeyArn, ...tagParameters(props.volumeTags ?? {}) },
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
      allowVolumeExpansion: true,
    });
    this.name = storageClass.metadata.name;
  }
}
