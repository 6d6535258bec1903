/**
 * Rules of platform.yaml beyond the shape of each field: the region and zones agree with
 * the allowed regions, and the system node group can hold what runs on it.
 */
import type { RuleIssue } from './rules';
import type { PlatformFile } from './schema';

export function platformRules(platform: PlatformFile): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const allowed = platform.allowedRegions;
  if (!allowed.includes(platform.region)) {
    issues.push({
      path: ['region'],
      message: `'${platform.region}' is not in allowedRegions (${allowed.join(', ')}): the SCP would deny the platform's own region; add it to allowedRegions or pick one of them`,
    });
  }
  platform.cluster.availabilityZones.forEach((zone, i) => {
    if (zone.slice(0, -1) !== platform.region) {
      issues.push({
        path: ['cluster', 'availabilityZones', i],
        message: `'${zone}' is a zone of ${zone.slice(0, -1)}, not of the cluster's region ${platform.region}; use ${platform.region}a, ${platform.region}b, ...`,
      });
    }
  });
  const seen = new Set<string>();
  platform.cluster.availabilityZones.forEach((zone, i) => {
    if (seen.has(zone)) issues.push({ path: ['cluster', 'availabilityZones', i], message: `'${zone}' is listed twice; list distinct zones` });
    seen.add(zone);
  });
  const nodes = platform.cluster.systemNodes;
  if (nodes.maxNodes < nodes.minNodes) {
    issues.push({ path: ['cluster', 'systemNodes', 'maxNodes'], message: `must be at least minNodes (${nodes.minNodes}), got ${nodes.maxNodes}` });
  }
  if (nodes.desiredNodes !== undefined && (nodes.desiredNodes < nodes.minNodes || nodes.desiredNodes > nodes.maxNodes)) {
    issues.push({
      path: ['cluster', 'systemNodes', 'desiredNodes'],
      message: `must be between minNodes (${nodes.minNodes}) and maxNodes (${nodes.maxNodes}), got ${nodes.desiredNodes}`,
    });
  }
  // CoreDNS, the device plugin's controller and the cluster add-ons run on the system nodes.
  // A node image is built for one Kubernetes version; EKS runs nodes up to three minor versions
  // behind the control plane, never ahead of it, so the control plane can move first.
  const release = nodes.amiReleaseVersion;
  if (release !== undefined) {
    const [major, minor] = release.split('.').map(Number);
    const [clusterMajor, clusterMinor] = platform.cluster.kubernetesVersion.split('.').map(Number);
    const behind = (clusterMajor - major) * 100 + (clusterMinor - minor);
    if (behind < 0 || behind > 3) {
      issues.push({
        path: ['cluster', 'systemNodes', 'amiReleaseVersion'],
        message: `'${release}' is an AMI release of Kubernetes ${major}.${minor}, which nodes cannot run beside a ${platform.cluster.kubernetesVersion} control plane (at most three minor versions behind, never ahead); pin a release of ${platform.cluster.kubernetesVersion} (docs/upgrades.md, step 5)`,
      });
    }
  }
  if (platform.cluster.systemNodes.minNodes < 1) {
    issues.push({
      path: ['cluster', 'systemNodes', 'minNodes'],
      message: 'must be at least 1: the cluster add-ons (CoreDNS and others) run on the system nodes',
    });
  }
  return issues;
}
