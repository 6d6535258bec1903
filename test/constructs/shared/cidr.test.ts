import { cidrSubnet, vpcLayout } from '../../../constructs/shared/cidr';

describe('cidrSubnet', () => {
  test('computes the n-th subnet like Terraform cidrsubnet', () => {
    expect(cidrSubnet('10.40.0.0/16', 18, 2)).toBe('10.40.128.0/18');
    expect(cidrSubnet('10.40.0.0/16', 21, 29)).toBe('10.40.232.0/21');
  });

  test('fails if the subnet number does not fit', () => {
    expect(() => cidrSubnet('10.40.0.0/16', 18, 4)).toThrow('10.40.0.0/16 has no /18 subnet number 4');
  });
});

describe('vpcLayout', () => {
  test.each(['10.40.0.0/16', '172.20.0.0/18', '192.168.16.0/20'])('gives %s disjoint subnets for three zones', (cidr) => {
    const layout = vpcLayout(cidr, 3);
    const all = [...layout.private, ...layout.public, ...layout.endpoints];
    expect(new Set(all).size).toBe(9);
    const toRange = (c: string) => {
      const [ip, prefix] = c.split('/');
      const start = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
      return [start, start + 2 ** (32 - Number(prefix))] as const;
    };
    const ranges = all.map(toRange).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
  });

  test('fails if asked for more than three zones', () => {
    expect(() => vpcLayout('10.0.0.0/16', 4)).toThrow('the VPC layout holds one to three zones, got 4');
  });
});
