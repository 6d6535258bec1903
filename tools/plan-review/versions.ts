/**
 * Version changes of the cluster, read from the synthesized platform stacks: the control
 * plane (`aws_eks_cluster.version`), the EKS add-ons (`aws_eks_addon.addon_version`), the
 * Helm charts (`helm_release.version`), the managed node group's image
 * (`aws_eks_node_group.release_version`), the Karpenter node image (`EC2NodeClass`
 * `amiSelectorTerms[].alias`) and the images of the platform's DaemonSets (the NVIDIA device
 * plugin). The review flags each change with its place in the upgrade
 * order of docs/upgrades.md, and blocks what EKS cannot do (skip or go back a minor version).
 */
import { isRecord } from '../../kernel/records';
import type { StackBlocks } from './blocks';
import type { ReviewFinding as Finding } from './findings';

/** The upgrade order: charts first, then the control plane, then add-ons, then nodes. */
export const UPGRADE_STEPS = ['charts', 'control plane', 'add-ons', 'nodes'] as const;
export type UpgradeStep = (typeof UPGRADE_STEPS)[number];

export interface PinnedVersion {
  readonly stack: string;
  readonly step: UpgradeStep;
  readonly value: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The first container's image of a synthesized `kubernetes_daemon_set_v1` spec. */
function daemonSetImage(spec: unknown): string | undefined {
  const podSpec = isRecord(spec) && isRecord(spec.template) ? spec.template.spec : undefined;
  const containers = isRecord(podSpec) && Array.isArray(podSpec.container) ? podSpec.container : [];
  return isRecord(containers[0]) ? text(containers[0].image) : undefined;
}

/** Every pinned version of one side, by component name (`kubernetes`, `add-on coredns`, `chart karpenter`, `node image`, `daemon set nvidia-device-plugin image`). */
export function pinnedVersions(stacks: ReadonlyMap<string, StackBlocks | undefined>): Map<string, PinnedVersion> {
  const found = new Map<string, PinnedVersion>();
  for (const [stack, blocks] of stacks) {
    for (const block of blocks?.values() ?? []) {
      if (block.kind !== 'resource') continue;
      const c = block.config;
      if (block.type === 'aws_eks_cluster' && text(c.version)) found.set('kubernetes', { stack, step: 'control plane', value: text(c.version)! });
      if (block.type === 'aws_eks_addon' && text(c.addon_name) && text(c.addon_version))
        found.set(`add-on ${text(c.addon_name)}`, { stack, step: 'add-ons', value: text(c.addon_version)! });
      if (block.type === 'helm_release' && text(c.name) && text(c.version))
        found.set(`chart ${text(c.name)}`, { stack, step: 'charts', value: text(c.version)! });
      if (block.type === 'aws_eks_node_group' && text(c.node_group_name) && text(c.release_version))
        found.set(`node group ${text(c.node_group_name)} image`, { stack, step: 'nodes', value: text(c.release_version)! });
      if (block.type === 'kubernetes_daemon_set_v1' && isRecord(c.metadata) && text(c.metadata.name)) {
        const image = daemonSetImage(c.spec);
        if (image) found.set(`daemon set ${text(c.metadata.name)} image`, { stack, step: 'add-ons', value: image });
      }
      if (block.type === 'kubernetes_manifest' && isRecord(c.manifest) && c.manifest.kind === 'EC2NodeClass' && isRecord(c.manifest.spec)) {
        const terms = Array.isArray(c.manifest.spec.amiSelectorTerms) ? c.manifest.spec.amiSelectorTerms : [];
        const alias = terms.map((t) => (isRecord(t) ? text(t.alias) : undefined)).find((a) => a !== undefined);
        if (alias) found.set('node image', { stack, step: 'nodes', value: alias });
      }
    }
  }
  return found;
}

function minor(version: string): number | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  return match ? Number(match[1]) * 1000 + Number(match[2]) : undefined;
}

/** A finding per changed version, blocking what EKS refuses, and one for changes that must go in separate deploys. */
export function versionFindings(base: ReadonlyMap<string, PinnedVersion>, head: ReadonlyMap<string, PinnedVersion>): Finding[] {
  const findings: Finding[] = [];
  const changed: { name: string; before: PinnedVersion; after: PinnedVersion }[] = [];
  for (const [name, after] of head) {
    const before = base.get(name);
    if (before && before.value !== after.value) changed.push({ name, before, after });
  }
  changed.sort((a, b) => UPGRADE_STEPS.indexOf(a.after.step) - UPGRADE_STEPS.indexOf(b.after.step) || a.name.localeCompare(b.name));
  for (const { name, before, after } of changed) {
    findings.push({ level: 'attention', text: `\`${after.stack}\`: ${name} ${before.value} → ${after.value} (upgrade step: ${after.step}; docs/upgrades.md)` });
  }
  const k8s = changed.find((c) => c.name === 'kubernetes');
  if (k8s) {
    const from = minor(k8s.before.value);
    const to = minor(k8s.after.value);
    if (from !== undefined && to !== undefined && to < from)
      findings.push({
        level: 'blocked',
        text: `\`${k8s.after.stack}\`: Kubernetes ${k8s.before.value} → ${k8s.after.value} is a downgrade; EKS cannot downgrade a control plane`,
      });
    else if (from !== undefined && to !== undefined && Math.floor(to / 1000) === Math.floor(from / 1000) && to - from > 1)
      findings.push({
        level: 'blocked',
        text: `\`${k8s.after.stack}\`: Kubernetes ${k8s.before.value} → ${k8s.after.value} skips a minor version; EKS upgrades one minor version at a time`,
      });
  }
  const steps = [...new Set(changed.map((c) => c.after.step))];
  if (k8s && steps.length > 1) {
    findings.push({
      level: 'attention',
      text: `the control plane changes together with ${steps.filter((s) => s !== 'control plane').join(' and ')}: deploy them as separate pull requests, in the order ${UPGRADE_STEPS.join(', ')} (docs/upgrades.md)`,
    });
  }
  return findings;
}
