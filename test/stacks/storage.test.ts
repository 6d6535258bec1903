/**
 * Storage as the platform deploys it, checked for its effects on the synthesized samples: a
 * tenant's claim without a class gets exactly one default class, whose volumes are encrypted
 * and provisioned by a driver the cluster installs, whose controller has its own role through
 * Pod Identity, and whose node plugin runs on the tenants' tainted GPU nodes too.
 */
import { readFileSync, rmSync } from 'node:fs';
import { parse } from 'yaml';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { EBS_CSI_ADDON, EBS_CSI_SERVICE_ACCOUNT } from '../../constructs/cluster/ebs-csi-driver';
import { TENANT_EDIT_RULES } from '../../constructs/cluster/tenant-edit-role';
import { kubernetesObjects } from '../../stacks/kubernetes-objects';
import { examplePodMountingBucket, examplePvc } from '../../tools/tenant/storage-examples';
import { admit } from '../../proof/cluster/admission';
import { claimRequest } from '../../proof/cluster/volume-classes';
import { peopleOf } from '../../proof/cluster/attacks';
import { readClusterModel } from '../../proof/cluster/cluster-model';
import { readSynthDir } from '../../proof/resolve';
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
    Object.entries(synth.stacks)
      .flatMap(([name, stack]) => kubernetesObjects(name, stack as never).map((o) => o.object as Record<string, any>))
      .filter((o) => o.kind === 'StorageClass');

  test("a tenant's claim names the tenant's class, whose gp3 volumes the installed EBS CSI add-on encrypts with the tenant's key, and is admitted", async () => {
    const { platform, tenants } = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
    const tenant = tenants.find((t) => t.name === 'fraud-detection')!;
    const claim = examplePvc(tenant, platform) as Record<string, any>;
    const { PersistentVolumeClaim } = (await import('kubernetes-models/v1/PersistentVolumeClaim')) as unknown as { PersistentVolumeClaim: Model };
    expect(() => new PersistentVolumeClaim(claim).validate()).not.toThrow();
    const chosen = storageClasses().filter((c) => c.metadata.name === claim.spec.storageClassName);
    expect(chosen).toHaveLength(1);
    expect(chosen[0].provisioner).toBe('ebs.csi.aws.com');
    expect(chosen[0].volumeBindingMode).toBe('WaitForFirstConsumer');
    // The key is the tenant stack's own (its only aws_kms_key); the volumes carry the tenant tag its budget filters on.
    const stack = synth.stacks['tenant-fraud-detection'];
    const [keyName] = Object.keys(stack.resource!.aws_kms_key);
    expect(chosen[0].parameters).toEqual(
      expect.objectContaining({ type: 'gp3', encrypted: 'true', kmsKeyId: `\${aws_kms_key.${keyName}.arn}`, tagSpecification_5: 'tenant=fraud-detection' }),
    );
    const addon = bodies(synth.stacks.shared, 'aws_eks_addon').find((a) => a.addon_name === EBS_CSI_ADDON);
    expect(addon).toBeDefined();
    // Tenant people may create claims in their namespace, and this one is admitted.
    expect(TENANT_EDIT_RULES.some((r) => r.apiGroups.includes('') && r.resources.includes('persistentvolumeclaims') && r.verbs.includes('create'))).toBe(true);
    const model = readClusterModel(readSynthDir(synth.outdir));
    const ns = model.tenants.find((t) => t.name === tenant.name)!;
    const request = { ...claimRequest(ns, undefined), object: claim };
    expect(admit(model, request)).toEqual({ allowed: true, denials: [] });
  });

  test("the one default class (a claim without a class gets it) is the platform's, encrypted with the platform's volume key", () => {
    const defaults = storageClasses().filter((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
    expect(defaults.map((c) => c.metadata.name)).toEqual(['gp3-encrypted']);
    expect(defaults[0].parameters.kmsKeyId).toMatch(/cross-stack-output-aws_kms_keyvolume-key_[0-9A-F]+arn/);
    const keys = bodies(synth.stacks.shared, 'aws_kms_key', 'volume-key');
    expect(keys).toHaveLength(1);
    expect(keys[0].enable_key_rotation).toBe(true);
  });

  test("the driver's controller has its own role through Pod Identity, and its node plugin tolerates the tenants' taints", () => {
    const addon = bodies(synth.stacks.shared, 'aws_eks_addon').find((a) => a.addon_name === EBS_CSI_ADDON)!;
    expect(addon.addon_version).toBe('v1.44.0-eksbuild.1');
    expect(addon.pod_identity_association).toEqual([
      { role_arn: expect.stringMatching(/aws_iam_role\.ebs-csi-driver_role/), service_account: EBS_CSI_SERVICE_ACCOUNT },
    ]);
    expect(JSON.parse(addon.configuration_values)).toEqual({ node: { tolerateAllTaints: true } });
    const role = single(synth.stacks.shared, 'aws_iam_role', 'ebs-csi-driver');
    expect(String(role.assume_role_policy)).toContain('pods.eks.amazonaws.com');
    const attached = bodies(synth.stacks.shared, 'aws_iam_role_policy_attachment', 'ebs-csi-driver').map((a) => a.policy_arn);
    expect(attached).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']);
  });

  test("the example pod mounts its tenant's bucket through the pre-bound claim, with the workload role, and is admitted", async () => {
    const { platform, tenants } = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
    const tenant = tenants.find((t) => t.name === 'fraud-detection')!;
    const pod = examplePodMountingBucket(tenant, platform, 'datasets') as Record<string, any>;
    const { Pod } = (await import('kubernetes-models/v1/Pod')) as unknown as { Pod: Model };
    expect(() => new Pod(pod).validate()).not.toThrow();
    const objects = kubernetesObjects('tenant-fraud-detection', synth.stacks['tenant-fraud-detection'] as never).map((o) => o.object as Record<string, any>);
    const claim = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === pod.spec.volumes[0].persistentVolumeClaim.claimName)!;
    const volume = objects.find((o) => o.kind === 'PersistentVolume' && o.metadata.name === claim.spec.volumeName)!;
    expect(volume.spec.claimRef).toEqual({ namespace: tenant.name, name: claim.metadata.name });
    expect(volume.spec.csi.volumeAttributes).toEqual({
      bucketName: expect.stringMatching(/^mlp-fraud-detection-datasets-\$\{[^}]*aws_organizations_account[^}]*\}$/),
      authenticationSource: 'pod',
    });
    const account = objects.find((o) => o.kind === 'ServiceAccount')!;
    expect(pod.spec.serviceAccountName).toBe(account.metadata.name);
    const roleRef = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(account.metadata.annotations['eks.amazonaws.com/role-arn'])!;
    expect((synth.stacks['tenant-fraud-detection'].resource!.aws_iam_role[roleRef[1]] as { name: string }).name).toBe('fraud-detection-workload');
    const model = readClusterModel(readSynthDir(synth.outdir));
    const ns = model.tenants.find((t) => t.name === tenant.name)!;
    expect(
      admit(model, {
        operation: 'CREATE',
        resource: { group: '', version: 'v1', resource: 'pods' },
        namespaceObject: ns.namespaceObject,
        object: pod,
        oldObject: null,
        userInfo: peopleOf(ns),
      }),
    ).toEqual({ allowed: true, denials: [] });
  });
});

describe('docs/storage.md', () => {
  test('shows the generated claim and bucket pod for the sample tenant, unchanged', () => {
    const { platform, tenants } = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
    const text = readFileSync(path.join(__dirname, '../../docs/storage.md'), 'utf8');
    const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]));
    const fraud = tenants.find((t) => t.name === 'fraud-detection')!;
    expect(blocks).toEqual([examplePvc(fraud, platform), examplePodMountingBucket(fraud, platform, 'datasets')]);
  });
});
