import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { GpuInstanceType, SharedGpuPool as SharedGpuPoolSettings } from '../../config/model';
import { sharedPoolGpus } from '../../config/queue-quotas';
import { GPU_TAINT_KEY, MANAGED_BY_LABEL } from '../../config/names';
import { POOL_LABEL } from '../tenant/gpu-pool-manifests';
import { ec2NodeClassManifest, KARPENTER_API, nodeTemplate, WHEN_EMPTY_DISRUPTION } from './karpenter-manifests';
import { KUEUE_API_VERSION, type ResourceFlavor } from './kueue-api';
import { GPU_NODE_LABEL } from './pod-security';

export interface SharedGpuPoolProps {
  readonly settings: SharedGpuPoolSettings;
  /** Name of the node class, the NodePool and the Kueue flavor. */
  readonly name: string;
  /** Value of the pool label on its nodes. */
  readonly poolLabel: string;
  readonly flavorName: string;
  readonly nodeRoleName: string;
  readonly clusterName: string;
  readonly amiAlias: string;
  /** Sizes of the allowed GPU instance types (platform.yaml gpuInstanceTypes): the pool's GPU limit is maxNodes times its largest. */
  readonly instanceSizes: Readonly<Record<string, GpuInstanceType>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly dependsOn?: ITerraformDependable[];
}

export interface SharedGpuPoolManifests {
  readonly nodeClass: Record<string, unknown>;
  readonly nodePool: Record<string, unknown>;
  readonly flavor: ResourceFlavor;
}

/**
 * The shared pool's objects: nodes labelled `ml-platform/pool=<poolLabel>` and tainted with
 * the GPU taint only (no tenant taint: the node is what tenants share; each GPU still goes to
 * one pod), scaling from zero up to `gpus`, and the Kueue flavor that places a job there.
 */
export function sharedGpuPoolManifests(props: SharedGpuPoolProps): SharedGpuPoolManifests {
  const labels = { [POOL_LABEL]: props.poolLabel, [GPU_NODE_LABEL.key]: GPU_NODE_LABEL.value };
  return {
    nodeClass: ec2NodeClassManifest({
      name: props.name,
      labels: { [POOL_LABEL]: props.poolLabel },
      nodeRoleName: props.nodeRoleName,
      clusterName: props.clusterName,
      amiAlias: props.amiAlias,
      diskGi: props.settings.diskGi,
      tags: props.tags,
    }),
    nodePool: {
      ...KARPENTER_API.nodePool,
      metadata: { name: props.name },
      spec: {
        template: nodeTemplate({
          nodeClassName: props.name,
          labels,
          taints: [{ key: GPU_TAINT_KEY, value: 'true', effect: 'NoSchedule' }],
          instanceTypes: props.settings.instanceTypes,
          capacity: props.settings.capacity,
        }),
        limits: { [GPU_TAINT_KEY]: String(sharedPoolGpus(props.settings, props.instanceSizes)) },
        disruption: WHEN_EMPTY_DISRUPTION,
      },
    },
    flavor: {
      apiVersion: KUEUE_API_VERSION,
      kind: 'ResourceFlavor',
      metadata: { name: props.flavorName, labels: { [MANAGED_BY_LABEL.key]: MANAGED_BY_LABEL.value } },
      spec: { nodeLabels: { [POOL_LABEL]: props.poolLabel }, tolerations: [{ key: GPU_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' }] },
    },
  };
}

/** The platform's shared GPU pool in the cluster: Karpenter node class and NodePool, and its Kueue flavor. */
export class SharedGpuPool extends Construct {
  readonly manifests: SharedGpuPoolManifests;

  constructor(scope: Construct, id: string, props: SharedGpuPoolProps) {
    super(scope, id);
    const unknown = props.settings.instanceTypes.filter((type) => !(type in props.instanceSizes));
    if (unknown.length > 0) {
      throw new Error(
        `platform.yaml kueue.sharedGpuPool.instanceTypes: ${unknown.join(', ')} not in gpuInstanceTypes; use allowed GPU instance types (${Object.keys(props.instanceSizes).join(', ')})`,
      );
    }
    this.manifests = sharedGpuPoolManifests(props);
    const nodeClass = new Manifest(this, 'node-class', { manifest: this.manifests.nodeClass, dependsOn: props.dependsOn });
    new Manifest(this, 'node-pool', { manifest: this.manifests.nodePool, dependsOn: [nodeClass] });
    new Manifest(this, 'flavor', { manifest: { ...this.manifests.flavor } });
  }
}
