/** IPv4 subnetting for the shared VPC, computed at synth time so plans are deterministic. */

function toInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function toIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** First and last address of an IPv4 CIDR, as integers. */
export function cidrRange(cidr: string): { first: number; last: number } {
  const [ip, prefixText] = cidr.split('/');
  const size = 2 ** (32 - Number(prefixText));
  const first = toInt(ip) - (toInt(ip) % size);
  return { first, last: first + size - 1 };
}

/** The `index`-th subnet of size `/newPrefix` inside `cidr`, like Terraform's cidrsubnet. */
export function cidrSubnet(cidr: string, newPrefix: number, index: number): string {
  const [ip, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  if (newPrefix < prefix || newPrefix > 32) throw new Error(`cannot split ${cidr} into /${newPrefix} subnets`);
  if (index < 0 || index >= 2 ** (newPrefix - prefix)) throw new Error(`${cidr} has no /${newPrefix} subnet number ${index}`);
  const base = toInt(ip) - (toInt(ip) % 2 ** (32 - prefix));
  return `${toIp(base + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
}

export interface VpcLayout {
  /** Node and pod subnets, one per zone: three quarters of the VPC, because pods take VPC addresses. */
  readonly private: readonly string[];
  /** NAT gateways and load balancers. */
  readonly public: readonly string[];
  /** Interface endpoints only, so network policies can admit them without admitting nodes. */
  readonly endpoints: readonly string[];
}

/** Splits the VPC for up to three zones: private /p+2 each, public and endpoint /p+5 each in the last quarter. */
export function vpcLayout(vpcCidr: string, zones: number): VpcLayout {
  const prefix = Number(vpcCidr.split('/')[1]);
  if (zones < 1 || zones > 3) throw new Error(`the VPC layout holds one to three zones, got ${zones}`);
  const range = Array.from({ length: zones }, (_, i) => i);
  return {
    private: range.map((i) => cidrSubnet(vpcCidr, prefix + 2, i)),
    public: range.map((i) => cidrSubnet(vpcCidr, prefix + 5, 24 + i)),
    endpoints: range.map((i) => cidrSubnet(vpcCidr, prefix + 5, 28 + i)),
  };
}
