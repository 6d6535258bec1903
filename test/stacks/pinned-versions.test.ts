/**
 * Every pinned version, and every chart value and add-on configuration key the platform
 * sets, against what was checked in the upstream source of that exact version
 * (docs/upgrades.md, "Pinned versions, checked against their sources"). The upstream
 * files are not committed; the facts read from them are, below, each with its source.
 * A new pin, a new version or a new key fails here until its source has been read: check
 * the new version's values.yaml (and Kubernetes support), then update this table and the
 * one in docs/upgrades.md in the same pull request.
 */
import { DEFAULTS } from '../../config/model';
import { CLUSTER_ADDON_NAMES, type ClusterAddonName } from '../../config/schema';
import { bodies, single, synthPlatform, type StackJson } from '../support/synth';

interface Checked {
  /** The exact version read. */
  readonly version: string;
  /** Repository, tag and file the keys were read in. */
  readonly source: string;
  /** Value paths found in the source (a map or list value is one path). */
  readonly keys: readonly string[];
  /** Kubernetes minor versions the source states support for. */
  readonly kubernetes?: { readonly min: string; readonly max?: string };
}

const CHARTS: Record<string, Checked> = {
  karpenter: {
    version: '1.8.1',
    source: 'aws/karpenter-provider-aws@v1.8.1 charts/karpenter/values.yaml (compatibility: website/content/en/v1.8/upgrading/compatibility.md)',
    keys: [
      'replicas',
      'serviceAccount.create',
      'serviceAccount.name',
      'nodeSelector',
      'tolerations',
      'settings.clusterName',
      'settings.interruptionQueue',
      'settings.featureGates.staticCapacity',
    ],
    kubernetes: { min: '1.28', max: '1.34' },
  },
  'karpenter-crd': { version: '1.8.1', source: 'aws/karpenter-provider-aws@v1.8.1 charts/karpenter-crd', keys: [], kubernetes: { min: '1.28', max: '1.34' } },
  kueue: {
    version: '0.14.3',
    source: 'kubernetes-sigs/kueue@v0.14.3 charts/kueue/values.yaml (Kubernetes: README.md)',
    keys: ['controllerManager.replicas', 'controllerManager.nodeSelector', 'controllerManager.tolerations'],
    kubernetes: { min: '1.29' },
  },
};

/** The add-ons' configuration keys are those of the upstream chart the add-on is built from. */
const ADDONS: Record<ClusterAddonName, Checked> = {
  'vpc-cni': { version: 'v1.19.5-eksbuild.1', source: 'aws/amazon-vpc-cni-k8s@v1.19.5 charts/aws-vpc-cni/values.yaml', keys: ['enableNetworkPolicy'] },
  'kube-proxy': {
    version: 'v1.32.3-eksbuild.7',
    source: 'EKS kube-proxy versions (docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html)',
    keys: [],
  },
  coredns: { version: 'v1.11.4-eksbuild.14', source: 'EKS CoreDNS versions (docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html)', keys: [] },
  'eks-pod-identity-agent': { version: 'v1.3.7-eksbuild.2', source: 'aws eks describe-addon-versions (not readable offline)', keys: [] },
  'aws-ebs-csi-driver': {
    version: 'v1.44.0-eksbuild.1',
    source: 'kubernetes-sigs/aws-ebs-csi-driver@helm-chart-aws-ebs-csi-driver-2.44.0 charts/aws-ebs-csi-driver/values.yaml (Kubernetes: docs/install.md)',
    keys: ['node.tolerateAllTaints'],
    kubernetes: { min: '1.20' },
  },
  'aws-mountpoint-s3-csi-driver': {
    version: 'v1.15.0-eksbuild.1',
    source: 'awslabs/mountpoint-s3-csi-driver@v1.15.0 charts/aws-mountpoint-s3-csi-driver/values.yaml (Kubernetes: README.md)',
    keys: ['node.tolerateAllTaints'],
    kubernetes: { min: '1.25' },
  },
  'amazon-cloudwatch-observability': {
    version: 'v4.1.0-eksbuild.1',
    source: 'aws-observability/helm-charts@amazon-cloudwatch-observability-4.1.0 charts/amazon-cloudwatch-observability/values.yaml',
    keys: ['containerLogs.enabled'],
    kubernetes: { min: '1.23' },
  },
};

/** awslabs/amazon-eks-ami: CHANGELOG.md at v20250419, section "AMI Release v20250410", Kubernetes 1.32. */
const AMI = { release: 'v20250410', kubernetes132: '1.32.1-20250410' };

/** NVIDIA/k8s-device-plugin@v0.17.1: deployments/static/nvidia-device-plugin.yml (image), cmd/nvidia-device-plugin/main.go (variables). */
const DEVICE_PLUGIN = {
  version: 'v0.17.1',
  image: 'nvcr.io/nvidia/k8s-device-plugin:v0.17.1',
  env: ['FAIL_ON_INIT_ERROR', 'DEVICE_LIST_STRATEGY', 'DEVICE_ID_STRATEGY'],
};

/** The value paths of `values`, stopping at a checked path (a map or list value is one path). */
function valuePaths(values: unknown, checked: readonly string[], prefix = ''): string[] {
  if (prefix !== '' && checked.includes(prefix)) return [prefix];
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [prefix];
  return Object.entries(values).flatMap(([key, value]) => valuePaths(value, checked, prefix === '' ? key : `${prefix}.${key}`));
}

function unchecked(values: unknown, checked: readonly string[]): string[] {
  return valuePaths(values, checked).filter((p) => !checked.includes(p));
}

const minor = (version: string) => Number(version.split('.')[1]);

describe('pinned versions and the values set with them, against their upstream sources', () => {
  let stacks: Record<string, StackJson>;
  let kubernetesVersion: string;
  beforeAll(() => {
    stacks = synthPlatform().stacks;
    kubernetesVersion = single(stacks.shared, 'aws_eks_cluster').version;
  });
  const all = (type: string) => Object.values(stacks).flatMap((stack) => bodies(stack, type));

  test('finds a value path the source does not have, and none below a checked map or list', () => {
    const keys = CHARTS.karpenter.keys;
    expect(unchecked({ settings: { featureGate: { staticCapacity: true } } }, keys)).toEqual(['settings.featureGate.staticCapacity']);
    expect(unchecked({ nodeSelector: { 'ml-platform/node-pool': 'system' }, tolerations: [{ key: 'x' }] }, keys)).toEqual([]);
  });

  test('installs only checked charts, at the checked version, setting only keys their values.yaml has', () => {
    const releases = all('helm_release');
    expect(releases.map((r) => r.chart).sort()).toEqual(['karpenter', 'karpenter-crd', 'kueue']);
    for (const release of releases) {
      const checked = CHARTS[release.chart];
      expect({ chart: release.chart, version: release.version }).toEqual({ chart: release.chart, version: checked.version });
      const values = (release.values ?? []).map((v: string) => JSON.parse(v));
      expect({ chart: release.chart, unchecked: values.flatMap((v: unknown) => unchecked(v, checked.keys)) }).toEqual({ chart: release.chart, unchecked: [] });
    }
  });

  test('pins every EKS add-on at the checked build, configuring only keys its upstream chart has', () => {
    const addons = all('aws_eks_addon');
    expect(addons.map((a) => a.addon_name).sort()).toEqual([...CLUSTER_ADDON_NAMES].sort());
    for (const addon of addons) {
      const checked = ADDONS[addon.addon_name as ClusterAddonName];
      expect({ addon: addon.addon_name, version: addon.addon_version }).toEqual({ addon: addon.addon_name, version: checked.version });
      const configuration = addon.configuration_values === undefined ? {} : JSON.parse(addon.configuration_values);
      expect({ addon: addon.addon_name, unchecked: unchecked(configuration, checked.keys) }).toEqual({ addon: addon.addon_name, unchecked: [] });
    }
  });

  test('the defaults, taken when platform.yaml names no version, are the checked versions too', () => {
    expect(DEFAULTS.kueueChartVersion).toBe(CHARTS.kueue.version);
    expect(DEFAULTS.systemNodesAmiReleaseVersion).toBe(AMI.kubernetes132);
    expect(DEFAULTS.nvidiaDevicePluginVersion).toBe(DEVICE_PLUGIN.version);
    for (const name of CLUSTER_ADDON_NAMES) expect({ name, version: DEFAULTS.addonVersions[name] }).toEqual({ name, version: ADDONS[name].version });
  });

  test('runs the nodes on a published EKS AMI release: the system nodes its Kubernetes build, Karpenter nodes its alias', () => {
    const nodeGroup = single(stacks.shared, 'aws_eks_node_group', 'system-nodes');
    expect({ version: nodeGroup.version, release: nodeGroup.release_version }).toEqual({ version: '1.32', release: AMI.kubernetes132 });
    const aliases = new Set(
      all('kubernetes_manifest')
        .map((m) => m.manifest)
        .filter((m) => m.kind === 'EC2NodeClass')
        .flatMap((m) => m.spec.amiSelectorTerms.map((t: { alias: string }) => t.alias)),
    );
    expect([...aliases]).toEqual([`al2023@${AMI.release}`]);
  });

  test('runs the checked device plugin image, configured only through variables it reads', () => {
    const container = single(stacks['shared-k8s'], 'kubernetes_daemon_set_v1').spec.template.spec.container[0];
    expect(container.image).toBe(DEVICE_PLUGIN.image);
    expect(container.env.map((e: { name: string }) => e.name).filter((name: string) => !DEVICE_PLUGIN.env.includes(name))).toEqual([]);
  });

  test("keeps the cluster's Kubernetes version within what every pinned component states it supports", () => {
    const outside = [...Object.entries(CHARTS), ...Object.entries(ADDONS)]
      .filter(([, c]) => c.kubernetes !== undefined)
      .filter(
        ([, c]) =>
          minor(kubernetesVersion) < minor(c.kubernetes!.min) || (c.kubernetes!.max !== undefined && minor(kubernetesVersion) > minor(c.kubernetes!.max)),
      )
      .map(([name]) => name);
    expect(outside).toEqual([]);
    // EKS builds kube-proxy per Kubernetes minor version: it must be the control plane's.
    const kubeProxy = all('aws_eks_addon').find((a) => a.addon_name === 'kube-proxy');
    expect(kubeProxy?.addon_version).toMatch(new RegExp(`^v${kubernetesVersion.replace('.', '\\.')}\\.`));
  });
});
