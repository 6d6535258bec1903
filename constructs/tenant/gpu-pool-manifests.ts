/**
 * The Karpenter v1 objects of one tenant GPU pool, as plain manifests: an EC2NodeClass (how
 * a node is launched) and up to two NodePools (which nodes may be launched): a dynamic pool
 * that starts at zero and is capped by its `limits`, and, when the tenant asks for warm
 * nodes, a static pool (`replicas`) that keeps them running. Pure functions, so tests check
 * them against Karpenter's CRD schemas without a synth.
 */
import type { CapacityType, GpuPool } from '../../config/model';
import { GPU_TAINT_KEY, KARPENTER_DISCOVERY_TAG, TENANT_LABEL } from '../../config/names';
import type { PoolLimits } from '../../config/pool-limits';
import { GPU_NODE_LABEL } from '../cluster/pod-security';

/** Node label naming the tenant's pool, for pods that want one pool of several. */
export const POOL_LABEL = 'ml-platform/pool';

export const KARPENTER_API = {
  nodePool: { apiVersion: 'karpenter.sh/v1', kind: 'NodePool' },
  nodeClass: { apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass' },
} as const;

/** Well-known node labels Karpenter constrains instances by. */
export const KARPENTER_REQUIREMENT = {
  instanceType: 'node.kubernetes.io/instance-type',
  capacityType: 'karpenter.sh/capacity-type',
  arch: 'kubernetes.io/arch',
  os: 'kubernetes.io/os',
} as const;

/** Karpenter's spelling of the capacity types, the same as ours. */
export const KARPENTER_CAPACITY: Record<CapacityType, string> = { spot: 'spot', 'on-demand': 'on-demand' };

/** A node is replaced after this long even without drift, so no node runs a stale kernel for months. */
export const NODE_EXPIRY = '720h';
/** An empty node is removed after this long: long enough for the next job of a pipeline to land. */
export const EMPTY_NODE_GRACE = '5m';

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

export type Manifest = Record<string, unknown>;

export interface GpuPoolManifests {
  readonly nodeClass: Manifest;
  /** Absent when every node is warm (minNodes = maxNodes). */
  readonly dynamicPool?: Manifest;
  /** Absent when minNodes is 0. */
  readonly warmPool?: Manifest;
}

/** How a GPU node is launched, tenant or shared pool: IMDSv2 with a hop limit of 1, an encrypted gp3 root volume. */
export function nodeLaunchSettings(diskGi: number): Manifest {
  return {
    // Pods are one hop further than the node: a hop limit of 1 keeps the node role's credentials from them.
    metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
    blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: `${diskGi}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true } }],
  };
}

/** Which nodes a GPU pool may launch: only these instance types and capacity, amd64 Linux. */
export function nodeRequirements(instanceTypes: readonly string[], capacity: CapacityType): Manifest[] {
  return [
    { key: KARPENTER_REQUIREMENT.instanceType, operator: 'In', values: [...instanceTypes] },
    { key: KARPENTER_REQUIREMENT.capacityType, operator: 'In', values: [KARPENTER_CAPACITY[capacity]] },
    { key: KARPENTER_REQUIREMENT.arch, operator: 'In', values: ['amd64'] },
    { key: KARPENTER_REQUIREMENT.os, operator: 'In', values: ['linux'] },
  ];
}

export function nodeClassManifest(props: GpuPoolManifestProps): Manifest {
  const discovery = { tags: { [KARPENTER_DISCOVERY_TAG]: props.clusterName } };
  return {
    ...KARPENTER_API.nodeClass,
    metadata: { name: props.name, labels: { [TENANT_LABEL]: props.tenantName, [POOL_LABEL]: props.pool.name } },
    spec: {
      role: props.nodeRoleName,
      amiSelectorTerms: [{ alias: props.amiAlias }],
      subnetSelectorTerms: [discovery],
      securityGroupSelectorTerms: [discovery],
      ...nodeLaunchSettings(props.pool.diskGi),
      tags: { ...props.tags },
    },
  };
}

function template(props: GpuPoolManifestProps): Manifest {
  return {
    metadata: {
      labels: { [TENANT_LABEL]: props.tenantName, [GPU_NODE_LABEL.key]: GPU_NODE_LABEL.value, [POOL_LABEL]: props.pool.name },
    },
    spec: {
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: KARPENTER_API.nodeClass.kind, name: props.name },
      taints: [
        { key: TENANT_LABEL, value: props.tenantName, effect: 'NoSchedule' },
        { key: GPU_TAINT_KEY, value: 'true', effect: 'NoSchedule' },
      ],
      requirements: nodeRequirements(props.pool.instanceTypes, props.pool.capacity),
      expireAfter: NODE_EXPIRY,
    },
  };
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
      // Only empty nodes are consolidated: moving a running training job to a cheaper node would restart it.
      disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: EMPTY_NODE_GRACE, budgets: [{ nodes: '10%' }] },
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
