/**
 * Version changes in the review: each flagged with its upgrade step, EKS's refusals
 * blocked, and a control plane moved together with add-ons told to split, in order.
 */
import { planReview } from '../../../tools/plan-review';
import { blocksOf } from '../../../tools/plan-review/blocks';
import { pinnedVersions, versionFindings } from '../../../tools/plan-review/versions';
import { passingChecks, platformWith, synth, tenantsDir } from './fixtures';

function shared(k8s: string, coredns: string, alias = 'al2023@v20250410') {
  return new Map([
    [
      'shared',
      blocksOf({
        resource: {
          aws_eks_cluster: { cluster: { name: 'c', version: k8s } },
          aws_eks_addon: { coredns: { addon_name: 'coredns', addon_version: coredns } },
        },
      }),
    ],
    ['shared-pools', blocksOf({ resource: { kubernetes_manifest: { nc: { manifest: { kind: 'EC2NodeClass', spec: { amiSelectorTerms: [{ alias }] } } } } } })],
  ]);
}

describe('version findings', () => {
  test('reads every pinned version', () => {
    expect([...pinnedVersions(shared('1.32', 'v1.11.4-eksbuild.14')).entries()].map(([k, v]) => [k, v.value, v.step])).toEqual([
      ['kubernetes', '1.32', 'control plane'],
      ['add-on coredns', 'v1.11.4-eksbuild.14', 'add-ons'],
      ['node image', 'al2023@v20250410', 'nodes'],
    ]);
  });

  test("flags a new image of a platform DaemonSet (the device plugin's release) as an add-on step", () => {
    const plugin = (image: string) =>
      new Map([
        [
          'shared-k8s',
          blocksOf({
            resource: {
              kubernetes_daemon_set_v1: {
                plugin: { metadata: { name: 'nvidia-device-plugin' }, spec: { template: { spec: { container: [{ name: 'p', image }] } } } },
              },
            },
          }),
        ],
      ]);
    const findings = versionFindings(
      pinnedVersions(plugin('nvcr.io/nvidia/k8s-device-plugin:v0.17.1')),
      pinnedVersions(plugin('nvcr.io/nvidia/k8s-device-plugin:v0.17.4')),
    );
    expect(findings).toEqual([
      {
        level: 'attention',
        text: '`shared-k8s`: daemon set nvidia-device-plugin image nvcr.io/nvidia/k8s-device-plugin:v0.17.1 → nvcr.io/nvidia/k8s-device-plugin:v0.17.4 (upgrade step: add-ons; docs/upgrades.md)',
      },
    ]);
  });

  test('nothing changed, nothing flagged', () => {
    const v = pinnedVersions(shared('1.32', 'a'));
    expect(versionFindings(v, v)).toEqual([]);
  });

  test('one step at a time is flagged for attention only, with its step', () => {
    const findings = versionFindings(pinnedVersions(shared('1.32', 'a')), pinnedVersions(shared('1.33', 'a')));
    expect(findings).toEqual([{ level: 'attention', text: '`shared`: kubernetes 1.32 → 1.33 (upgrade step: control plane; docs/upgrades.md)' }]);
  });

  test('skipping a minor version or going back is blocked', () => {
    expect(versionFindings(pinnedVersions(shared('1.31', 'a')), pinnedVersions(shared('1.33', 'a'))).filter((f) => f.level === 'blocked')[0]?.text).toMatch(
      /skips a minor version/,
    );
    expect(versionFindings(pinnedVersions(shared('1.33', 'a')), pinnedVersions(shared('1.32', 'a'))).filter((f) => f.level === 'blocked')[0]?.text).toMatch(
      /downgrade/,
    );
  });

  test('the control plane with add-ons and nodes in one change is told to split, in order', () => {
    const findings = versionFindings(pinnedVersions(shared('1.32', 'a', 'al2023@v1')), pinnedVersions(shared('1.33', 'b', 'al2023@v2')));
    expect(findings.map((f) => f.text)).toEqual([
      '`shared`: kubernetes 1.32 → 1.33 (upgrade step: control plane; docs/upgrades.md)',
      '`shared`: add-on coredns a → b (upgrade step: add-ons; docs/upgrades.md)',
      '`shared-pools`: node image al2023@v1 → al2023@v2 (upgrade step: nodes; docs/upgrades.md)',
      'the control plane changes together with add-ons and nodes: deploy them as separate pull requests, in the order charts, control plane, add-ons, nodes (docs/upgrades.md)',
    ]);
  });
});

describe('the review of a platform.yaml version change', () => {
  test('flags the synthesized control plane and add-on changes', () => {
    const tenants = tenantsDir();
    const base = synth(tenants);
    const platformFile = platformWith((t) =>
      t.replace('kubernetesVersion: "1.32"', 'kubernetesVersion: "1.33"').replace('coredns: v1.11.4-eksbuild.14', 'coredns: v1.11.4-eksbuild.20'),
    );
    const head = synth(tenants, platformFile);
    const result = planReview({ baseDir: base, headDir: head, platformFile, ...passingChecks() });
    const texts = result.review.findings.map((f) => f.text);
    expect(texts).toContain('`shared`: kubernetes 1.32 → 1.33 (upgrade step: control plane; docs/upgrades.md)');
    expect(texts).toContain('`shared`: add-on coredns v1.11.4-eksbuild.14 → v1.11.4-eksbuild.20 (upgrade step: add-ons; docs/upgrades.md)');
    expect(texts.some((t) => t.startsWith('the control plane changes together with add-ons'))).toBe(true);
    // The system nodes keep their image through the control-plane step: a release may trail the control plane.
    expect(texts.some((t) => t.includes('node group mlp-system image'))).toBe(false);
  });

  test("flags the system nodes' image update as a node step, on its own", () => {
    const tenants = tenantsDir();
    const base = synth(tenants);
    const platformFile = platformWith((t) => t.replace('amiReleaseVersion: 1.32.1-20250410', 'amiReleaseVersion: 1.32.3-20250501'));
    const head = synth(tenants, platformFile);
    const texts = planReview({ baseDir: base, headDir: head, platformFile, ...passingChecks() }).review.findings.map((f) => f.text);
    expect(texts).toContain('`shared`: node group mlp-system image 1.32.1-20250410 → 1.32.3-20250501 (upgrade step: nodes; docs/upgrades.md)');
    expect(texts.some((t) => t.startsWith('the control plane changes together'))).toBe(false);
  });
});
