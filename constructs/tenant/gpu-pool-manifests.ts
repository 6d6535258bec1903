/**
 * The Karpenter v1 objects of one tenant GPU pool, as plain manifests: an EC2NodeClass (how
 * a node is launched) and up to two NodePools (which nodes may be launched): a dynamic pool
 * that starts at zero and is capped by its `limits`, and, when the tenant asks for warm
 * nodes, a static pool (`replicas`) that keeps them running. Pure functions, so tests check
 * them against Karpenter's CRD schemas without a synth.
 */
import type { GpuPool } from '../../config/model';
import { GPU_TAINT_KEY, TENANT_LABEL } from '../../config/names';
import type { PoolLimits } from '../../config/pool-limits';
import { ec2NodeClassManifest, KARPENTER_API, nodeTemplate, WHEN_EMPTY_DISRUPTION, type Manifest } from '../cluster/karpenter-manifests';
import { GPU_NODE_LABEL } from '../cluster/pod-security';

/** Node label naming the tenant's pool, for pods that want one pool of several. */
export const POOL_LABEL = 'ml-platform/pool';

export interface GpuPoolManifestProps {
  readonly tenantName: string;
  readonly pool: GpuPool;
  readonly limits: PoolLimits;
  /** `<tenant>.<pool>`: the EC2NodeClass and the dynamic NodePool. */
  readonly name: string;
  /** `<tenant>.<pool>.warm`: the static NodePool. */
  readonly warmName: string;
  /** Node role (by name: Karpenter makes the instance profile). */
  readonly nodeRoleName: string;
  /** Cluster name, the value of the discovery tag on subnets and the node security group. */
  readonly clusterName: string;
  /** Pinned AMI alias, e.g. `al2023@v20250410`; GPU instances get its NVIDIA variant. */
  readonly amiAlias: string;
  /** Tags of the instances, volumes and network interfaces Karpenter launches. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface GpuPoolManifests {
  readonly nodeClass: Manifest;
  /** Absent when every node is warm (minNodes = maxNodes). */
  readonly dynamicPool?: Manifest;
  /** Absent when minNodes is 0. */
  readonly warmPool?: Manifest;
}

export function nodeClassManifest(props: GpuPoolManifestProps): Manifest {
  return ec2NodeClassManifest({
    name: props.name,
    labels: { [TENANT_LABEL]: props.tenantName, [POOL_LABEL]: props.pool.name },
    nodeRoleName: props.nodeRoleName,
    clusterName: props.clusterName,
    amiAlias: props.amiAlias,
    diskGi: props.pool.diskGi,
    tags: props.tags,
  });
}

function template(props: GpuPoolManifestProps): Manifest {
  return nodeTemplate({
    nodeClassName: props.name,
    labels: { [TENANT_LABEL]: props.tenantName, [GPU_NODE_LABEL.key]: GPU_NODE_LABEL.value, [POOL_LABEL]: props.pool.name },
    taints: [
      { key: TENANT_LABEL, value: props.tenantName, effect: 'NoSchedule' },
      { key: GPU_TAINT_KEY, value: 'true', effect: 'NoSchedule' },
    ],
    instanceTypes: props.pool.instanceTypes,
    capacity: props.pool.capacity,
  });
}

/** Scales from zero on pending pods; empty nodes go after EMPTY_NODE_GRACE; never beyond its limits. */
export function dynamicPoolManifest(props: GpuPoolManifestProps): Manifest {
  return {
    ...KARPENTER_API.nodePool,
    metadata: { name: props.name },
    spec: {
      template: template(props),
      limits: {
        [GPU_TAINT_KEY]: String(props.limits.gpus),
        cpu: String(props.limits.cpu),
        memory: `${props.limits.memoryGi}Gi`,
      },
      disruption: WHEN_EMPTY_DISRUPTION,
    },
  };
}

/** Keeps `replicas` nodes running whatever the demand (Karpenter's static capacity); at most that many. */
export function warmPoolManifest(props: GpuPoolManifestProps): Manifest {
  return {
    ...KARPENTER_API.nodePool,
    metadata: { name: props.warmName },
    spec: {
      replicas: props.limits.warmNodes,
      template: template(props),
      // A static pool takes only a node limit; equal to replicas, it keeps the ceiling hard.
      limits: { nodes: String(props.limits.warmNodes) },
      disruption: { consolidateAfter: 'Never', budgets: [{ nodes: '1' }] },
    },
  };
}

export function gpuPoolManifests(props: GpuPoolManifestProps): GpuPoolManifests {
  return {
    nodeClass: nodeClassManifest(props),
    dynamicPool: props.limits.dynamicNodes > 0 ? dynamicPoolManifest(props) : undefined,
    warmPool: props.limits.warmNodes > 0 ? warmPoolManifest(props) : undefined,
  };
}
