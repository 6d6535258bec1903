import { EbsStorageClass } from '../../constructs/cluster/ebs-storage-class';
import { TenantKey } from '../../constructs/tenant/tenant-key';
import { checkTiny, errorsOf } from './support';

const key = (stack: Parameters<Parameters<typeof checkTiny>[0]>[0]) =>
  new TenantKey(stack, 'key', { tenantName: 'a', tenantAccountId: '111111111111', aliasName: 'alias/mlp/a/data' });

describe("MLP-VOL-2 (EBS StorageClasses under a customer-managed key, a tenant's its own)", () => {
  test("passes a tenant's class encrypted with the tenant stack's key", () => {
    const checked = checkTiny((stack) => new EbsStorageClass(stack, 'class', { name: 'a.gp3', kmsKeyArn: key(stack).keyArn }), { tenant: 'a' });
    expect(errorsOf(checked, 'MLP-VOL-2')).toEqual([]);
    expect(checked.result.checked['MLP-VOL-2']).toBe(1);
  });

  test("fails a tenant's class under a key that is not its stack's (another tenant's ARN)", () => {
    const checked = checkTiny(
      (stack) => {
        key(stack);
        new EbsStorageClass(stack, 'class', { name: 'a.gp3', kmsKeyArn: 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
      },
      { tenant: 'a' },
    );
    expect(errorsOf(checked, 'MLP-VOL-2')).toEqual([expect.stringContaining("encrypts with 'arn:aws:kms:us-east-1:222222222222:key/1234abcd")]);
  });
});
