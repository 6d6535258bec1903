import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import type { GeneralPoolSettings } from '../../config/model';
import { ec2NodeClassManifest, KARPENTER_API, nodeTemplate, WHEN_EMPTY_DISRUPTION, type Manifest as ManifestObject } from './karpenter-manifests';

export interface GeneralNodePoolProps {
  /** The NodePool and its EC2NodeClass. */
  readonly name: string;
  readonly settings: GeneralPoolSettings;
  /** Label every node gets, e.g. `ml-platform/node-pool: general`. */
  readonly nodeLabel: { readonly key: string; readonly value: string };
  /** Role of the nodes, by name; it needs an EC2_LINUX access entry (made in `shared`). */
  readonly nodeRoleName: string;
  /** Cluster name, the value of the discovery tag on subnets and the node security group. */
  readonly clusterName: string;
  /** Pinned AMI alias, as for the GPU pools. */
  readonly amiAlias: string;
  /** Tags of the instances, volumes and network interfaces. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface GeneralPoolManifests {
  readonly nodeClass: ManifestObject;
  readonly nodePool: ManifestObject;
}

/** The manifests, a function of the props alone, so tests check them without a synth. */
export function generalPoolManifests(props: GeneralNodePoolProps): GeneralPoolManifests {
  const { settings } = props;
  return {
    nodeClass: ec2NodeClassManifest({
      name: props.name,
      labels: { [props.nodeLabel.key]: props.nodeLabel.value },
      nodeRoleName: props.nodeRoleName,
      clusterName: props.clusterName,
      amiAlias: props.amiAlias,
      diskGi: settings.diskGi,
      tags: props.tags,
    }),
    nodePool: {
      ...KARPENTER_API.nodePool,
      metadata: { name: props.name },
      spec: {
        template: nodeTemplate({
          nodeClassName: props.name,
          labels: { [props.nodeLabel.key]: props.nodeLabel.value },
          // No taint: every tenant's CPU pods may land here (admission keeps them off the GPU and system nodes).
          taints: [],
          instanceTypes: settings.instanceTypes,
          capacity: settings.capacity,
        }),
        limits: { cpu: String(settings.maxCpu), memory: `${settings.maxMemoryGi}Gi` },
        disruption: WHEN_EMPTY_DISRUPTION,
      },
    },
  };
}

/**
 * The shared CPU pool as a Karpenter NodePool in the shared cluster: it has no node while no
 * pod that needs none waits, launches nodes of the listed types for pending CPU pods, stops
 * at `maxCpu` and `maxMemoryGi`, and removes empty nodes. Only the system nodes, which must
 * run before Karpenter does, stay a managed node group.
 */
export class GeneralNodePool extends Construct {
  readonly manifests: GeneralPoolManifests;

  constructor(scope: Construct, id: string, props: GeneralNodePoolProps) {
    super(scope, id);
    const { settings } = props;
    const errors: string[] = [];
    if (settings.instanceTypes.length === 0) errors.push('instanceTypes must list at least one type');
    if (settings.maxCpu < 1) errors.push(`maxCpu must be at least 1, got ${settings.maxCpu}`);
    if (settings.maxMemoryGi < 1) errors.push(`maxMemoryGi must be at least 1, got ${settings.maxMemoryGi}`);
    if (settings.diskGi < 20) errors.push(`diskGi must be at least 20, got ${settings.diskGi}`);
    if (errors.length > 0) throw new Error(`general node pool ${props.name}: ${errors.join('; ')}`);

    this.manifests = generalPoolManifests(props);
    const nodeClass = new Manifest(this, 'node-class', { manifest: this.manifests.nodeClass });
    new Manifest(this, 'node-pool', { manifest: this.manifests.nodePool, dependsOn: [nodeClass] });
  }
}
