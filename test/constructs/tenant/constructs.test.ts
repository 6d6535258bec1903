import { Testing, TerraformStack } from 'cdktf';
import { SharedNetwork } from '../../../constructs/shared/shared-network';
import { TenantBuckets } from '../../../constructs/tenant/tenant-buckets';
import { TenantWorkloadRole } from '../../../constructs/tenant/tenant-workload-role';

const stack = () => new TerraformStack(Testing.app(), 'test');

describe('construct validation', () => {
  test('TenantBuckets fails if a bucket purpose is repeated', () => {
    expect(
      () =>
        new TenantBuckets(stack(), 'b', {
          buckets: [
            { purpose: 'data', noncurrentVersionDays: 1 },
            { purpose: 'data', noncurrentVersionDays: 2 },
          ],
          bucketName: (p) => `x-${p}`,
          tenantAccountId: '444444444444',
          kmsKeyArn: 'arn:aws:kms:us-east-1:444444444444:key/k',
        }),
    ).toThrow('TenantBuckets: bucket purposes must be unique; repeated: data');
  });

  test('TenantWorkloadRole fails without any statement', () => {
    expect(
      () => new TenantWorkloadRole(stack(), 'w', { roleName: 'r', oidcIssuerUrl: 'https://oidc.example', namespace: 'n', serviceAccount: 's', statements: [] }),
    ).toThrow('TenantWorkloadRole r: give at least one statement, or the role can do nothing');
  });

  test('SharedNetwork fails with a single availability zone', () => {
    expect(
      () =>
        new SharedNetwork(stack(), 'n', {
          namePrefix: 'p',
          region: 'us-east-1',
          vpcCidr: '10.0.0.0/16',
          availabilityZones: ['us-east-1a'],
          clusterName: 'c',
          flowLogRetentionDays: 1,
          logKeyArn: 'k',
        }),
    ).toThrow('SharedNetwork: needs at least two availability zones, got 1');
  });
});
