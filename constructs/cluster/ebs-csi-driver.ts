import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { POD_IDENTITY_PRINCIPAL, POD_IDENTITY_TRUST_ACTIONS, ServiceRole } from '../common/service-role';

export const EBS_CSI_ADDON = 'aws-ebs-csi-driver';
/** The CSI driver name a StorageClass provisions with. */
export const EBS_CSI_PROVISIONER = 'ebs.csi.aws.com';
/** AWS-managed policy of the driver's controller: create, attach, snapshot and delete volumes. */
export const EBS_CSI_MANAGED_POLICY = 'service-role/AmazonEBSCSIDriverPolicy';
/** The controller's service account in kube-system, which the add-on creates. */
export const EBS_CSI_SERVICE_ACCOUNT = 'ebs-csi-controller-sa';
/**
 * The add-on's configuration: the node plugin (which mounts volumes) tolerates every taint,
 * so volumes mount on the tenants' tainted GPU nodes too; the controller keeps its default
 * toleration of the system nodes.
 */
export const EBS_CSI_CONFIGURATION = { node: { tolerateAllTaints: true } } as const;

export interface EbsCsiDriverProps {
  readonly clusterName: string;
  /** Pinned in platform.yaml (`cluster.addonVersions.aws-ebs-csi-driver`). */
  readonly addonVersion: string;
  readonly roleName: string;
  /** The Pod Identity agent, which hands the controller its role. */
  readonly podIdentityAgent: ITerraformDependable;
}

/**
 * The EBS CSI driver as an EKS add-on, its controller's permissions through EKS Pod Identity
 * (its own role; node roles get no EBS rights). With it, a PersistentVolumeClaim of the
 * default StorageClass (constructs/cluster/default-storage-class.ts) binds to a new volume.
 */
export class EbsCsiDriver extends Construct {
  readonly roleArn: string;
  readonly addon: EksAddon;

  constructor(scope: Construct, id: string, props: EbsCsiDriverProps) {
    super(scope, id);
    const role = new ServiceRole(this, 'role', {
      roleName: props.roleName,
      service: POD_IDENTITY_PRINCIPAL,
      trustActions: POD_IDENTITY_TRUST_ACTIONS,
      managedPolicies: [EBS_CSI_MANAGED_POLICY],
      description: 'EBS CSI driver controller through EKS Pod Identity',
    });
    this.roleArn = role.roleArn;
    this.addon = new EksAddon(this, 'addon', {
      clusterName: props.clusterName,
      addonName: EBS_CSI_ADDON,
      addonVersion: props.addonVersion,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      configurationValues: JSON.stringify(EBS_CSI_CONFIGURATION),
      podIdentityAssociation: [{ roleArn: role.roleArn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }],
      dependsOn: [props.podIdentityAgent, ...role.attachments],
    });
  }
}
