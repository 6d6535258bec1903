/**
 * Storage as the platform deploys it, checked for its effects on the synthesized samples: a
 * tenant's claim without a class gets exactly one default class, whose volumes are encrypted
 * and provisioned by a driver the cluster installs, whose controller has its own role through
 * Pod Identity, and whose node plugin runs on the tenants' tainted GPU nodes too.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { EBS_CSI_ADDON, EBS_CSI_SERVICE_ACCOUNT } from '../../constructs/cluster/ebs-csi-driver';
import { TENANT_EDIT_RULES } from '../../constructs/cluster/tenant-edit-role';
import { kubernetesObjects } from '../../stacks/kubernetes-objects';
import { examplePvc } from '../../tools/tenant/storage-examples';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR } from '../support/config-fixtures';
import { bodies, single, synthPlatform, type Synthesized } from '../support/synth';

type Model = new (o: unknown) => { validate(): void };

describe('storage in the synthesized platform', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthPlatform();
  });
  afterAll(() => rmSync(path.dirname(synth.outdir), { recursive: true, force: true }));

  const storageClasses = () =>
    Object.entries(synth.stacks).flatMap(([name, stack]) => kubernetesObjects(name, stack as never).map((o) => o.object as Record<string, any>)).filter((o) => o.kind === 'StorageClass');

  test("a tenant's claim without a class gets the one default class: encrypted gp3, provisioned by the EBS CSI add-on the cluster installs", async () => {
    const { platform, tenants } = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
    const claim = examplePvc(tenants[0], platform) as Record<string, any>;
    const { PersistentVolumeClaim } = (await import('kubernetes-models/v1/PersistentVolumeClaim')) as unknown as { PersistentVolumeClaim: Model };
    expect(() => new PersistentVolumeClaim(claim).validate()).not.toThrow();
    expect(claim.spec.storageClassName).toBeUndefined();
    // The API server's DefaultStorageClass admission gives such a claim the class annotated default.
    const defaults = storageClasses().filter((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
    expect(defaults).toHaveLength(1);
    const [chosen] = defaults;
    expect(chosen.parameters).toEqual({ type: 'gp3', encrypted: 'true' });
    expect(chosen.volumeBindingMode).toBe('WaitForFirstConsumer');
    const addon = bodies(synth.stacks.shared, 'aws_eks_addon').find((a) => a.addon_name === EBS_CSI_ADDON);
    expect(addon).toBeDefined();
    expect(chosen.provisioner).toBe('ebs.csi.aws.com');
    // Tenant people may create claims in their namespace.
    expect(TENANT_EDIT_RULES.some((r) => r.apiGroups.includes('') && r.resources.includes('persistentvolumeclaims') && r.verbs.includes('create'))).toBe(true);
  });

  test("the driver's controller has its own role through Pod Identity, and its node plugin tolerates the tenants' taints", () => {
    const addon = bodies(synth.stacks.shared, 'aws_eks_addon').find((a) => a.addon_name === EBS_CSI_ADDON)!;
    expect(addon.addon_version).toBe('v1.44.0-eksbuild.1');
    expect(addon.pod_identity_association).toEqual([{ role_arn: expect.stringMatching(/aws_iam_role\.ebs-csi-driver_role/), service_account: EBS_CSI_SERVICE_ACCOUNT }]);
    expect(JSON.parse(addon.configuration_values)).toEqual({ node: { tolerateAllTaints: true } });
    const role = single(synth.stacks.shared, 'aws_iam_role', 'ebs-csi-driver');
    expect(String(role.assume_role_policy)).toContain('pods.eks.amazonaws.com');
    const attached = bodies(synth.stacks.shared, 'aws_iam_role_policy_attachment', 'ebs-csi-driver').map((a) => a.policy_arn);
    expect(attached).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']);
  });
});
