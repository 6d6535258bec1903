import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export const S3_CSI_ADDON = 'aws-mountpoint-s3-csi-driver';
/** The CSI driver name a bucket's PersistentVolume names. */
export const S3_CSI_DRIVER = 's3.csi.aws.com';
/** Volume attribute that makes the driver mount with the pod's own service account role (IRSA), never its own or the node's. */
export const S3_POD_AUTHENTICATION = { key: 'authenticationSource', value: 'pod' } as const;
/** The node plugin runs on every node, the tenants' tainted GPU nodes included. */
export const S3_CSI_CONFIGURATION = { node: { tolerateAllTaints: true } } as const;

export interface S3CsiDriverProps {
  readonly clusterName: string;
  /** Pinned in platform.yaml (`cluster.addonVersions.aws-mountpoint-s3-csi-driver`). */
  readonly addonVersion: string;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The Mountpoint for Amazon S3 CSI driver as an EKS add-on, deliberately without a role:
 * every bucket volume the platform writes mounts with the pod's own credentials
 * (`authenticationSource: pod`), so the driver and the nodes never hold S3 rights a pod of
 * another tenant could borrow.
 */
export class S3CsiDriver extends Construct {
  constructor(scope: Construct, id: string, props: S3CsiDriverProps) {
    super(scope, id);
    new EksAddon(this, 'addon', {
      clusterName: props.clusterName,
      addonName: S3_CSI_ADDON,
      addonVersion: props.addonVersion,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      configurationValues: JSON.stringify(S3_CSI_CONFIGURATION),
      dependsOn: props.dependsOn,
    });
  }
}
