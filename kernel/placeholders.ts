/**
 * Placeholder values for the outputs an upstream stack declares, so a downstream stack can
 * be planned without the upstream's real state. Values are deterministic (a hash of stack
 * and output name) and shaped like the real thing (12-digit account ids, ARNs, https
 * endpoints, base64 PEM data, `subnet-...` ids), because the provider validates many of
 * them and a plan read by other tools should look like a real one.
 */
import { createHash } from 'node:crypto';
import { soleReference } from './hcl';
import { isRecord, recordAt } from './records';
import type { SynthesizedStack } from './synth-output';

/** Where an output's value comes from: `${type.name.attribute}`, attribute without list indices. */
export interface OutputSource {
  readonly resourceType: string;
  readonly resourceName: string;
  /** e.g. `id`, `certificate_authority.data`, `identity.oidc.issuer`. */
  readonly attribute: string;
}

const CROSS_STACK_OUTPUT_PREFIX = 'cross-stack-output-';
/** Terraform refuses state written by a newer version than itself; every 1.x reads this. */
const STATE_TERRAFORM_VERSION = '1.0.0';

/** Resource types whose `id` is a literal attribute of the configuration. */
const ID_IS_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_eks_cluster: 'name',
  aws_iam_role: 'name',
  aws_iam_policy: 'arn',
  aws_s3_bucket: 'bucket',
  aws_ecr_repository: 'name',
  aws_cloudwatch_log_group: 'name',
  aws_eks_node_group: 'node_group_name',
};

/** EC2-style id prefixes: `subnet-0a1b...`. */
const EC2_ID_PREFIX: Readonly<Record<string, string>> = {
  aws_subnet: 'subnet',
  aws_vpc: 'vpc',
  aws_security_group: 'sg',
  aws_route_table: 'rtb',
  aws_internet_gateway: 'igw',
  aws_nat_gateway: 'nat',
  aws_vpc_endpoint: 'vpce',
  aws_eip: 'eipalloc',
  aws_network_interface: 'eni',
  aws_launch_template: 'lt',
  aws_ec2_transit_gateway: 'tgw',
  aws_instance: 'i',
};

/** Resource types an output name may start with, longest first, for outputs whose value is not a plain reference. */
const KNOWN_TYPES = [
  ...new Set([
    ...Object.keys(ID_IS_ATTRIBUTE),
    ...Object.keys(EC2_ID_PREFIX),
    'aws_organizations_account',
    'aws_organizations_organizational_unit',
    'aws_kms_key',
    'aws_iam_openid_connect_provider',
  ]),
].sort((a, b) => b.length - a.length);

/** Reads `${aws_eks_cluster.cluster_A4C38409.identity[0].oidc[0].issuer}`. */
export function sourceOfExpression(expression: unknown): OutputSource | undefined {
  if (typeof expression !== 'string') return undefined;
  const reference = soleReference(expression);
  if (!reference || !/^[a-z0-9_]+$/.test(reference.root)) return undefined;
  const [resourceName, ...steps] = reference.steps;
  const attribute = steps.filter((step): step is string => typeof step === 'string').join('.');
  if (typeof resourceName !== 'string' || attribute === '') return undefined;
  return { resourceType: reference.root, resourceName, attribute };
}

/**
 * Reads cdktf's cross-stack output name, `cross-stack-output-<type><name><attribute>` with
 * the attribute's dots and indices removed (`...A4C38409identity0oidc0issuer`).
 */
export function sourceOfOutputName(outputName: string): OutputSource | undefined {
  if (!outputName.startsWith(CROSS_STACK_OUTPUT_PREFIX)) return undefined;
  const match = /^(.+_[0-9A-F]{8})(.+)$/.exec(outputName.slice(CROSS_STACK_OUTPUT_PREFIX.length));
  if (!match) return undefined;
  const [, typeAndName, flatAttribute] = match;
  const resourceType = KNOWN_TYPES.find((type) => typeAndName.startsWith(type)) ?? /^aws_[a-z0-9]+/.exec(typeAndName)?.[0] ?? 'unknown';
  return {
    resourceType,
    resourceName: typeAndName.slice(resourceType.length),
    attribute: flatAttribute.replace(/(?<=[a-z_])\d+(?=[a-z])/g, '.'),
  };
}

/** A deterministic stream of hex digits for one seed. */
function hexOf(seed: string, length: number): string {
  let hex = '';
  for (let block = 0; hex.length < length; block++) hex += createHash('sha256').update(`${seed}#${block}`).digest('hex');
  return hex.slice(0, length);
}

/** Twelve digits, not starting with 0, like most real account ids. */
export function placeholderAccountId(seed: string): string {
  const digits = BigInt(`0x${hexOf(seed, 30)}`)
    .toString()
    .padStart(12, '7');
  return `${(Number(digits[0]) % 9) + 1}${digits.slice(1, 12)}`;
}

function uuidOf(seed: string): string {
  const h = hexOf(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Base64 of a PEM block: what EKS returns as certificate authority data; `base64decode` accepts it. */
function certificateDataOf(seed: string): string {
  const body = Buffer.from(hexOf(seed, 384), 'hex')
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim();
  return Buffer.from(`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`).toString('base64');
}

/** A readable name from a cdktf unique id: `network_private-us-east-1a_E1039AEF` -> `network-private-us-east-1a`. */
function nameOfUniqueId(resourceName: string): string {
  const readable = resourceName
    .replace(/_[0-9A-F]{8}$/, '')
    .replace(/_/g, '-')
    .toLowerCase();
  return readable || 'resource';
}

export interface UpstreamFacts {
  readonly stack: string;
  readonly region: string;
  readonly accountId: string;
  /** The literal string value of `type.name.attribute` in the upstream configuration, if it is one. */
  literal(resourceType: string, resourceName: string, attribute: string): string | undefined;
}

/** Region and account of the upstream stack's default AWS provider, as far as its configuration says. */
export function upstreamFacts(upstream: SynthesizedStack): UpstreamFacts {
  const providers = recordAt(upstream.config, 'provider')?.aws;
  const list = Array.isArray(providers) ? providers.filter(isRecord) : isRecord(providers) ? [providers] : [];
  const main = list.find((p) => p.alias === undefined) ?? list[0];
  const region = typeof main?.region === 'string' && !main.region.includes('${') ? main.region : 'us-east-1';
  // The last role of a chain is the one that acts; its ARN may be a per-mode lookup whose
  // roles share one account (stacks/providers.ts), so the first account id in it is the one.
  const assumeRole = Array.isArray(main?.assume_role) ? main.assume_role[main.assume_role.length - 1] : main?.assume_role;
  const roleArn = isRecord(assumeRole) && typeof assumeRole.role_arn === 'string' ? assumeRole.role_arn : '';
  const accountId = /arn:aws[a-z-]*:iam::(\d{12}):/.exec(roleArn)?.[1] ?? placeholderAccountId(`account/${upstream.name}`);
  return {
    stack: upstream.name,
    region,
    accountId,
    literal(resourceType, resourceName, attribute) {
      const value = recordAt(upstream.config, 'resource', resourceType, resourceName)?.[attribute];
      return typeof value === 'string' && !value.includes('${') ? value : undefined;
    },
  };
}

/** The placeholder for one output of an upstream stack. */
export function placeholderValue(facts: UpstreamFacts, outputName: string, source: OutputSource | undefined): string {
  const seed = `${facts.stack}/${outputName}`;
  if (!source) return `placeholder-${hexOf(seed, 12)}`;
  const { resourceType, resourceName, attribute } = source;
  const [, service = 'aws', ...kindParts] = resourceType.split('_');
  const literalName = () =>
    facts.literal(resourceType, resourceName, ID_IS_ATTRIBUTE[resourceType] ?? 'name') ??
    facts.literal(resourceType, resourceName, 'name') ??
    `${nameOfUniqueId(resourceName)}-${hexOf(seed, 6)}`;

  const literal = facts.literal(resourceType, resourceName, attribute);
  if (literal !== undefined) return literal;

  if (attribute === 'arn' || attribute.endsWith('_arn')) {
    if (resourceType === 'aws_organizations_account')
      return `arn:aws:organizations::${facts.accountId}:account/o-${hexOf(`${seed}/org`, 10)}/${placeholderAccountId(seed)}`;
    if (service === 'iam') return `arn:aws:iam::${facts.accountId}:${kindParts.join('-') || 'role'}/${literalName()}`;
    if (service === 's3') return `arn:aws:s3:::${literalName()}`;
    return `arn:aws:${service}:${facts.region}:${facts.accountId}:${kindParts.join('-') || service}/${literalName()}`;
  }
  if (attribute === 'account_id' || (resourceType === 'aws_organizations_account' && attribute === 'id')) return placeholderAccountId(seed);
  if (attribute === 'id' || attribute === 'key_id') {
    const prefix = EC2_ID_PREFIX[resourceType];
    if (prefix) return `${prefix}-${hexOf(seed, 17)}`;
    if (resourceType === 'aws_kms_key') return uuidOf(seed);
    if (resourceType === 'aws_organizations_organizational_unit') return `ou-${hexOf(`${seed}/root`, 4)}-${hexOf(seed, 8)}`;
    if (resourceType === 'aws_organizations_policy') return `p-${hexOf(seed, 8)}`;
    if (resourceType in ID_IS_ATTRIBUTE) return literalName();
    return `${nameOfUniqueId(resourceName)}-${hexOf(seed, 8)}`;
  }
  if (attribute.endsWith('certificate_authority.data') || attribute.endsWith('certificate_data')) return certificateDataOf(seed);
  if (attribute.endsWith('issuer')) return `https://oidc.${service}.${facts.region}.amazonaws.com/id/${hexOf(seed, 32).toUpperCase()}`;
  if (attribute === 'endpoint' && resourceType === 'aws_eks_cluster') return `https://${hexOf(seed, 32).toUpperCase()}.gr7.${facts.region}.eks.amazonaws.com`;
  if (attribute.endsWith('endpoint') || attribute.endsWith('url')) return `https://${hexOf(seed, 12)}.${service}.${facts.region}.amazonaws.com`;
  if (attribute === 'name' || attribute.endsWith('_name')) return literalName();
  return `${nameOfUniqueId(resourceName)}-${attribute.replace(/[._]/g, '-')}-${hexOf(seed, 8)}`;
}

/** Terraform state (format 4) holding only outputs: what `terraform_remote_state` reads. */
export interface PlaceholderState {
  readonly version: 4;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs: Record<string, { readonly value: string; readonly type: 'string'; readonly sensitive: boolean }>;
  readonly resources: readonly never[];
}

/** A state file for `upstream` with a placeholder for every output it declares. */
export function placeholderState(upstream: SynthesizedStack): PlaceholderState {
  const facts = upstreamFacts(upstream);
  const outputs: Record<string, PlaceholderState['outputs'][string]> = {};
  for (const [name, output] of Object.entries(recordAt(upstream.config, 'output') ?? {})) {
    const source = isRecord(output) ? (sourceOfExpression(output.value) ?? sourceOfOutputName(name)) : sourceOfOutputName(name);
    outputs[name] = { value: placeholderValue(facts, name, source), type: 'string', sensitive: isRecord(output) && output.sensitive === true };
  }
  return { version: 4, terraform_version: STATE_TERRAFORM_VERSION, serial: 1, lineage: uuidOf(`lineage/${upstream.name}`), outputs, resources: [] };
}
