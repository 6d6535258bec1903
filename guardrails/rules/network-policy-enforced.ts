import { enforcesNetworkPolicies } from '../../constructs/cluster/vpc-cni';
import type { Block, StackView, Verdict } from '../rule';

/** What the VPC CNI needs in its configuration values to enforce NetworkPolicies. */
export const ENFORCING_CNI = { addon: 'vpc-cni', setting: 'enableNetworkPolicy', value: 'true' } as const;

/**
 * An EKS cluster enforces the NetworkPolicies every tenant namespace carries: its stack
 * installs the VPC CNI add-on with the network policy agent on. Without it each
 * `default-deny` is decoration and every pod reaches every other tenant's pods.
 */
export function networkPoliciesEnforced(block: Block, stack: StackView): Verdict {
  if (block.kind !== 'resource' || block.type !== 'aws_eks_cluster') return undefined;
  const cni = stack.blocks.filter((b) => b.kind === 'resource' && b.type === 'aws_eks_addon' && b.config.addon_name === ENFORCING_CNI.addon);
  if (cni.length === 0) {
    return [
      {
        problem: `the cluster has no ${ENFORCING_CNI.addon} add-on, so nothing enforces the tenant namespaces' NetworkPolicies`,
        fix: `add the ${ENFORCING_CNI.addon} add-on with configuration_values {"${ENFORCING_CNI.setting}": "${ENFORCING_CNI.value}"} (SharedCluster does)`,
      },
    ];
  }
  return cni
    .filter((addon) => !enforcesNetworkPolicies(addon.config.configuration_values))
    .map((addon) => ({
      problem: `${addon.address} leaves the network policy agent off, so the tenant namespaces' NetworkPolicies are not enforced and every pod reaches every other tenant's pods`,
      fix: `set configuration_values to {"${ENFORCING_CNI.setting}": "${ENFORCING_CNI.value}"} (VpcCniRole.addonArguments does)`,
    }));
}
