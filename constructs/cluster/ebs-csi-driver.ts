import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { policyDocument, renderPolicy, type PolicyStatement } from '../common/policy';
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

/** What EC2 does with a volume's key on the driver's behalf (create, attach, snapshot a volume). */
export const VOLUME_KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'] as const;
/** The grant EC2 keeps on the key for an attached volume; only ever for an AWS resource. */
export const VOLUME_KEY_GRANT_ACTION = 'kms:CreateGrant';

/** The service the driver's key use must come through: EC2 in the platform's region. */
export function ec2Service(region: string): string {
  return `ec2.${region}.amazonaws.com`;
}

export interface VolumeKeyStatementProps {
  readonly region: string;
  /** In a key policy: the driver's role, admitted by its exact ARN (the principal is its account). Absent in the role's own policy. */
  readonly driverRole?: { readonly arn: string; readonly accountId: string };
  /** In the role's policy: the keys (a pattern); in a key policy: `*` (the key itself). */
  readonly resource: string;
}

/**
 * The two statements that let the EBS CSI driver encrypt volumes with a customer-managed key,
 * as the key policy and the driver's role policy both need them (a key of another account
 * needs both): the key used only through EC2 (`kms:ViaService`), and grants only for AWS
 * resources (`kms:GrantIsForAWSResource`), so the role can never decrypt data itself or hand
 * the key to a principal.
 */
export function volumeKeyStatements(props: VolumeKeyStatementProps): PolicyStatement[] {
  const principal = props.driverRole ? { Principal: { AWS: `arn:aws:iam::${props.driverRole.accountId}:root` } } : {};
  const onlyDriver: Record<string, Record<string, string>> = props.driverRole ? { ArnEquals: { 'aws:PrincipalArn': props.driverRole.arn } } : {};
  return [
    {
      Sid: 'EbsVolumesThroughEc2',
      Effect: 'Allow',
      ...principal,
      Action: [...VOLUME_KEY_USE_ACTIONS],
      Resource: props.resource,
      Condition: { ...onlyDriver, StringEquals: { 'kms:ViaService': ec2Service(props.region) } },
    },
    {
      Sid: 'EbsVolumeGrantsForAwsResources',
      Effect: 'Allow',
      ...principal,
      Action: VOLUME_KEY_GRANT_ACTION,
      Resource: props.resource,
      Condition: { ...onlyDriver, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
  ];
}

export interface EbsCsiDriverProps {
  readonly clusterName: string;
  /** Pinned in platform.yaml (`cluster.addonVersions.aws-ebs-csi-driver`). */
  readonly addonVersion: string;
  readonly roleName: string;
  /** The region the volumes are in (their keys are used through EC2 there). */
  readonly region: string;
  /** The Pod Identity agent, which hands the controller its role. */
  readonly podIdentityAgent: ITerraformDependable;
}

/**
 * The EBS CSI driver as an EKS add-on, its controller's permissions through EKS Pod Identity
 * (its own role; node roles get no EBS rights). With it, a PersistentVolumeClaim of the
 * StorageClass (constructs/cluster/ebs-storage-class.ts) binds to a new volume.
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
    // Every key the driver may use admits it in its own key policy (the platform's volume key
    // through this account, each tenant's key by this role's ARN); the role side names no
    // tenant, so a new tenant changes nothing here.
    const keyPolicy = new IamRolePolicy(this, 'volume-keys', {
      name: 'volume-keys',
      role: role.roleName,
      policy: renderPolicy(policyDocument(...volumeKeyStatements({ region: props.region, resource: `arn:aws:kms:${props.region}:*:key/*` }))),
    });
    this.addon = new EksAddon(this, 'addon', {
      clusterName: props.clusterName,
      addonName: EBS_CSI_ADDON,
      addonVersion: props.addonVersion,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      configurationValues: JSON.stringify(EBS_CSI_CONFIGURATION),
      podIdentityAssociation: [{ roleArn: role.roleArn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }],
      dependsOn: [props.podIdentityAgent, ...role.attachments, keyPolicy],
    });
  }
}
