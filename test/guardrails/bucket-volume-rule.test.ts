import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { TerraformStack } from 'cdktf';
import { bucketVolumeManifests } from '../../constructs/tenant/bucket-volume-manifests';
import { TenantBucketVolumes } from '../../constructs/tenant/tenant-bucket-volumes';
import { checkTiny, errorsOf } from './support';

/** The tenant's namespace and bucket, as the tenant stack has them. */
function tenantBase(stack: TerraformStack, tenant: string): NamespaceV1 {
  new S3Bucket(stack, 'bucket', { bucket: `mlp-${tenant}-datasets` });
  return new NamespaceV1(stack, 'ns', { metadata: { name: tenant } });
}

const volumes = (stack: TerraformStack, tenant: string, namespace: string, bucket = `mlp-${tenant}-datasets`) =>
  new TenantBucketVolumes(stack, 'volumes', {
    tenantName: tenant,
    namespace,
    region: 'us-east-1',
    buckets: { datasets: bucket },
    volumeName: (p) => `${tenant}.${p}`,
    claimName: (p) => `s3-${p}`,
  });

describe('MLP-VOL-1 (tenant bucket volumes)', () => {
  test("passes TenantBucketVolumes on the stack's own bucket, pre-bound to the namespace by reference", () => {
    const checked = checkTiny((stack) => volumes(stack, 'a', tenantBase(stack, 'a').metadata.name), { tenant: 'a' });
    expect(errorsOf(checked, 'MLP-VOL-1')).toEqual([]);
    expect(checked.result.checked['MLP-VOL-1']).toBe(1);
  });

  test("fails a volume on another tenant's bucket, with the driver's credentials, bound to no claim", () => {
    const checked = checkTiny(
      (stack) => {
        tenantBase(stack, 'a');
        const { volume } = bucketVolumeManifests({
          tenantName: 'a',
          namespace: 'a',
          region: 'us-east-1',
          bucketName: 'mlp-b-datasets',
          volumeName: 'a.datasets',
          claimName: 's3-datasets',
        });
        const spec = JSON.parse(JSON.stringify(volume.spec));
        delete spec.claimRef;
        delete spec.csi.volumeAttributes.authenticationSource;
        new Manifest(stack, 'hand-written', { manifest: { ...volume, spec } });
      },
      { tenant: 'a' },
    );
    expect(errorsOf(checked, 'MLP-VOL-1')).toEqual([
      expect.stringContaining("does not mount with the pod's credentials"),
      expect.stringContaining("mounts bucket 'mlp-b-datasets', which is not one of the tenant's buckets"),
      expect.stringContaining('is not pre-bound to a claim in namespace a'),
    ]);
  });

  test('fails a volume pre-bound to another namespace', () => {
    const checked = checkTiny(
      (stack) => {
        tenantBase(stack, 'a');
        volumes(stack, 'a', 'b');
      },
      { tenant: 'a' },
    );
    expect(errorsOf(checked, 'MLP-VOL-1')).toEqual([expect.stringContaining('is not pre-bound to a claim in namespace a')]);
  });
});
