/**
 * Building blocks of Karpenter v1 objects, shared by the tenant GPU pools and the platform's
 * general CPU pool: an EC2NodeClass (how a node is launched) and a NodePool's node template
 * (which nodes may be launched, and what they carry). Pure functions of their props, so
 * tests check them against Karpenter's CRD schemas without a synth.
 */
import type { CapacityType } from '../../config/model';
import { KARPENTER_DISCOVERY_TAG } from '../../config/names';

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

export type Manifest = Record<string, unknown>;

export interface NodeClassProps {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Node role (by name: Karpenter makes the instance profile). */
  readonly nodeRoleName: string;
  /** Cluster name, the value of the discovery tag on subnets and the node security group. */
  readonly clusterName: string;
  /** Pinned AMI alias, e.g. `al2023@v20250410`; GPU instances get its NVIDIA variant. */
  readonly amiAlias: string;
  readonly diskGi: number;
  /** Tags of the instances, volumes and network interfaces Karpenter launches. */
  readonly tags: Readonly<Record<string, string>>;
}

export function ec2NodeClassManifest(props: NodeClassProps): Manifest {
  const discovery = { tags: { [KARPENTER_DISCOVERY_TAG]: props.clusterName } };
  return {
    ...KARPENTER_API.nodeClass,
    metadata: { name: props.name, labels: { ...props.labels } },
    spec: {
      role: props.nodeRoleName,
      amiSelectorTerms: [{ alias: props.amiAlias }],
      subnetSelectorTerms: [discovery],
      securityGroupSelectorTerms: [discovery],
      // Pods are one hop further than the node: a hop limit of 1 keeps the node role's credentials from them.
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { volumeSize: `${props.diskGi}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
      ],
      tags: { ...props.tags },
    },
  };
}

export interface NodeTemplateProps {
  /** The EC2NodeClass the nodes are launched with. */
  readonly nodeClassName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { readonly key: string; readonly value: string; readonly effect: 'NoSchedule' | 'NoExecute' }[];
  readonly instanceTypes: readonly string[];
  readonly capacity: CapacityType;
}

/** A NodePool's `spec.template`: only the given instance types and capacity, amd64 Linux, expiring after NODE_EXPIRY. */
export function nodeTemplate(props: NodeTemplateProps): Manifest {
  return {
    metadata: { labels: { ...props.labels } },
    spec: {
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: KARPENTER_API.nodeClass.kind, name: props.nodeClassName },
      taints: props.taints.map((taint) => ({ ...taint })),
      requirements: [
        { key: KARPENTER_REQUIREMENT.instanceType, operator: 'In', values: [...props.instanceTypes] },
        { key: KARPENTER_REQUIREMENT.capacityType, operator: 'In', values: [KARPENTER_CAPACITY[props.capacity]] },
        { key: KARPENTER_REQUIREMENT.arch, operator: 'In', values: ['amd64'] },
        { key: KARPENTER_REQUIREMENT.os, operator: 'In', values: ['linux'] },
      ],
      expireAfter: NODE_EXPIRY,
    },
  };
}

/**
 * Disruption of a pool that scales with demand: only empty nodes are consolidated (moving a
 * running job to a cheaper node would restart it), at most a tenth of the nodes at a time.
 */
export const WHEN_EMPTY_DISRUPTION = { consolidationPolicy: 'WhenEmpty', consolidateAfter: EMPTY_NODE_GRACE, budgets: [{ nodes: '10%' }] } as const;
