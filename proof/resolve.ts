/**
 * Reads the synthesized stacks and resolves the Terraform expressions in them to plain
 * values. Attributes that exist only after apply (ARNs, ids, the cluster's OIDC issuer,
 * vended account ids) get deterministic placeholders derived from the resource's own
 * arguments, so the same input always resolves to the same policies. The placeholders
 * come from one `ComputedAttributes` source, so planned values could replace them later.
 * Whatever cannot be resolved is a ResolveError naming the stack, resource and
 * expression: the proof never skips a policy it could not read.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { InputError } from '../kernel/errors';
import { recordAt } from '../kernel/records';
import { readSynthOutput } from '../kernel/synth-output';
import { evaluateTemplate, formatReference, HclError, indexInto, type HclValue, type Reference, type TraversalStep } from '../kernel/hcl';
import { IDENTITY_MODE_VARIABLE, type IdentityMode } from '../stacks/providers';

/** Where in the synthesized output something is, for messages: `tenant-a aws_iam_role.x assume_role_policy`. */
export interface Location {
  readonly stack: string;
  readonly address: string;
  readonly attribute?: string;
}

export function formatLocation(location: Location): string {
  return [location.stack, location.address, location.attribute].filter(Boolean).join(' ');
}

export class ResolveError extends Error {
  constructor(
    readonly location: Location,
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`${formatLocation(location)}: cannot resolve ${JSON.stringify(truncate(expression, 160))}: ${reason}`);
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

export type JsonObject = { [key: string]: HclValue };

export interface SynthStack {
  readonly name: string;
  readonly file: string;
  readonly json: JsonObject;
}

export interface ResourceRef {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
}

export function resourceAddress(ref: Pick<ResourceRef, 'type' | 'name'>): string {
  return `${ref.type}.${ref.name}`;
}

/** Reads `manifest.json` and every stack's `cdk.tf.json` from a cdktf output directory (the kernel's reader). */
export function readSynthDir(dir: string): SynthStack[] {
  return readSynthOutput(dir).map((stack) => ({ name: stack.name, file: stack.file, json: stack.config as JsonObject }));
}

/** 12 decimal digits from a hash, never starting with 0. */
function digits12(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const value = BigInt(`0x${hex.slice(0, 15)}`) % 900000000000n;
  return String(value + 100000000000n);
}

function hexOf(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

function uuidOf(seed: string): string {
  const h = hexOf(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Values of attributes known only after apply. Return undefined when the source has no value for it. */
export interface ComputedAttributes {
  attribute(ref: ResourceRef, steps: readonly TraversalStep[], resolver: Resolver): HclValue | undefined;
}

const PARTITION = 'aws';

/**
 * Deterministic placeholders: a bucket's ARN from its name, a role's from its name and its
 * account, a key's a UUID hashed from its address, a vended account's id 12 digits
 * hashed from its name, the cluster's issuer a fixed-shape EKS issuer URL.
 */
export class PlaceholderAttributes implements ComputedAttributes {
  attribute(ref: ResourceRef, steps: readonly TraversalStep[], r: Resolver): HclValue | undefined {
    const [first] = steps;
    const arg = (name: string): string => r.stringArgument(ref, name);
    const account = (): string => r.accountOf(ref);
    const region = (): string => r.regionOf(ref);
    const seed = `${ref.stack}/${resourceAddress(ref)}`;
    switch (ref.type) {
      case 'aws_s3_bucket':
        if (first === 'id' || first === 'bucket') return arg('bucket');
        if (first === 'arn') return `arn:${PARTITION}:s3:::${arg('bucket')}`;
        if (first === 'region') return region();
        return undefined;
      case 'aws_iam_role':
      case 'aws_iam_policy': {
        const kind = ref.type === 'aws_iam_role' ? 'role' : 'policy';
        const iamPath = r.optionalStringArgument(ref, 'path') ?? '/';
        const arn = `arn:${PARTITION}:iam::${account()}:${kind}${iamPath}${arg('name')}`;
        if (first === 'arn') return arn;
        if (first === 'name') return arg('name');
        if (first === 'id') return kind === 'role' ? arg('name') : arn;
        return undefined;
      }
      case 'aws_kms_key':
        if (first === 'key_id' || first === 'id') return uuidOf(seed);
        if (first === 'arn') return `arn:${PARTITION}:kms:${region()}:${account()}:key/${uuidOf(seed)}`;
        return undefined;
      case 'aws_kms_alias':
        if (first === 'id' || first === 'name') return arg('name');
        if (first === 'arn') return `arn:${PARTITION}:kms:${region()}:${account()}:${arg('name')}`;
        return undefined;
      case 'aws_iam_openid_connect_provider':
        if (first === 'arn' || first === 'id') return `arn:${PARTITION}:iam::${account()}:oidc-provider/${arg('url').replace(/^https:\/\//, '')}`;
        return undefined;
      case 'aws_organizations_account':
        if (first === 'id') return digits12(`account/${arg('name')}`);
        return undefined;
      case 'aws_organizations_organizational_unit':
        if (first === 'id') return `ou-${hexOf(`root/${seed}`, 4)}-${hexOf(seed, 8)}`;
        return undefined;
      case 'aws_organizations_policy':
        if (first === 'id') return `p-${hexOf(seed, 8)}`;
        return undefined;
      case 'aws_eks_cluster':
        if (steps.join('.') === 'identity.0.oidc.0.issuer') return `https://oidc.eks.${region()}.amazonaws.com/id/${hexOf(seed, 32).toUpperCase()}`;
        if (first === 'arn') return `arn:${PARTITION}:eks:${region()}:${account()}:cluster/${arg('name')}`;
        if (first === 'id' || first === 'name') return arg('name');
        if (first === 'endpoint') return `https://${hexOf(seed, 32).toUpperCase()}.gr7.${region()}.eks.amazonaws.com`;
        if (steps.join('.') === 'certificate_authority.0.data') return Buffer.from(`placeholder certificate of ${seed}`).toString('base64');
        return undefined;
      default:
        return undefined;
    }
  }
}

/** Which policy attribute of a resource: `policy`, `assume_role_policy`, `content`, or one inline policy by name. */
export interface PolicyAttribute {
  readonly name: string;
  readonly inline?: string;
}

/** Another source of resolved policy documents (for example planned values); `resolved` is the proof's own resolution. */
export interface PolicySource {
  policy(ref: ResourceRef, attribute: PolicyAttribute, resolved: HclValue | undefined): HclValue | undefined;
}

export interface ProviderInfo {
  readonly account: string;
  readonly region: string;
  /** The role the provider assumes: the platform's identity in that account. */
  readonly roleArn: string;
}

const ACCOUNT_IN_ROLE_ARN = /^arn:[a-z-]+:iam::(\d{12}):role\//;

/** Resolves references across every stack of one synthesized output. */
export class Resolver {
  private readonly stacks = new Map<string, SynthStack>();
  private readonly cache = new Map<string, HclValue>();
  private readonly inProgress = new Set<string>();
  private readonly providers = new Map<string, ProviderInfo>();

  constructor(
    stacks: readonly SynthStack[],
    private readonly computed: ComputedAttributes = new PlaceholderAttributes(),
    private readonly policies?: PolicySource,
  ) {
    for (const stack of stacks) this.stacks.set(stack.name, stack);
  }

  stackNames(): string[] {
    return [...this.stacks.keys()];
  }

  stack(name: string): SynthStack {
    const stack = this.stacks.get(name);
    if (!stack) throw new InputError(`no stack '${name}' in the synthesized output`);
    return stack;
  }

  /** Resources of a type in a stack, by name, in the order of the file. */
  resources(stack: string, type: string): ResourceRef[] {
    const block = objectAt(this.stack(stack).json, ['resource', type]);
    return block ? Object.keys(block).map((name) => ({ stack, type, name })) : [];
  }

  /** The raw (unresolved) configuration of a resource. */
  rawConfig(ref: ResourceRef): JsonObject {
    const config = objectAt(this.stack(ref.stack).json, ['resource', ref.type, ref.name]);
    if (!config) throw new ResolveError({ stack: ref.stack, address: resourceAddress(ref) }, resourceAddress(ref), 'no such resource');
    return config;
  }

  /** The construct path of a resource (from cdktf's metadata), for labels; the address when absent. */
  constructPath(ref: ResourceRef): string {
    const meta = objectAt(this.rawConfig(ref), ['//', 'metadata']);
    const value = meta?.path;
    return typeof value === 'string' ? value.split('/').slice(1).join('/') : resourceAddress(ref);
  }

  /** A resolved argument of a resource (a nested value is resolved throughout); undefined when absent. */
  argument(ref: ResourceRef, name: string): HclValue | undefined {
    const raw = this.rawConfig(ref)[name];
    if (raw === undefined) return undefined;
    return this.resolveValue(raw, { stack: ref.stack, address: resourceAddress(ref), attribute: name });
  }

  stringArgument(ref: ResourceRef, name: string): string {
    const value = this.argument(ref, name);
    if (typeof value !== 'string') {
      throw new ResolveError(
        { stack: ref.stack, address: resourceAddress(ref), attribute: name },
        String(this.rawConfig(ref)[name] ?? '(absent)'),
        `expected a string argument '${name}'`,
      );
    }
    return value;
  }

  /** A policy document as resolved by the proof, or as the policy source gives it when there is one. */
  policy(ref: ResourceRef, attribute: PolicyAttribute, resolved: HclValue | undefined): HclValue | undefined {
    return this.policies ? this.policies.policy(ref, attribute, resolved) : resolved;
  }

  optionalStringArgument(ref: ResourceRef, name: string): string | undefined {
    return this.argument(ref, name) === undefined ? undefined : this.stringArgument(ref, name);
  }

  /** Resolves a literal JSON value from the stack, evaluating every string in it as a template. */
  resolveValue(raw: HclValue, location: Location): HclValue {
    if (typeof raw === 'string') return this.resolveString(raw, location);
    if (Array.isArray(raw)) return raw.map((item) => this.resolveValue(item, location));
    if (raw !== null && typeof raw === 'object') {
      return Object.fromEntries(
        Object.entries(raw)
          .filter(([key]) => key !== '//')
          .map(([key, value]) => [key, this.resolveValue(value, location)]),
      );
    }
    return raw;
  }

  private resolveString(text: string, location: Location): HclValue {
    if (!text.includes('${') && !text.includes('%{')) return text;
    const key = `${formatLocation(location)}\u0000${text}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    if (this.inProgress.has(key)) throw new ResolveError(location, text, 'the expression refers to itself');
    this.inProgress.add(key);
    try {
      const value = evaluateTemplate(text, { reference: (reference) => this.reference(reference, location.stack) });
      this.cache.set(key, value);
      return value;
    } catch (error) {
      if (error instanceof ResolveError) {
        if (error.location.stack === location.stack && error.location.address === location.address && error.location.attribute === location.attribute)
          throw error;
        throw new ResolveError(location, text, error.message);
      }
      if (error instanceof HclError) throw new ResolveError(location, text, error.message);
      throw error;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private reference(reference: Reference, stack: string): HclValue {
    const shown = formatReference(reference);
    if (reference.root === 'terraform' && reference.steps[0] === 'workspace' && reference.steps.length === 1) return 'default';
    if (reference.root === 'data') return this.dataReference(reference, stack);
    // The identity mode is read as `deploy`: the proof is about the stacks as applied, by the
    // role that applies them (the one the account controls exempt).
    if (reference.root === 'var' && reference.steps.length === 1 && reference.steps[0] === IDENTITY_MODE_VARIABLE) {
      if (objectAt(this.stack(stack).json, ['variable', IDENTITY_MODE_VARIABLE])) return 'deploy' satisfies IdentityMode;
    }
    if (['var', 'local', 'module', 'path', 'count', 'each', 'self'].includes(reference.root)) {
      throw new HclError(`${shown}: '${reference.root}' references are not supported`);
    }
    const [name, ...steps] = reference.steps;
    if (typeof name !== 'string') throw new HclError(`${shown}: expected <type>.<name>`);
    const ref: ResourceRef = { stack, type: reference.root, name };
    if (!objectAt(this.stack(stack).json, ['resource', ref.type, ref.name]))
      throw new HclError(`${shown}: no resource ${resourceAddress(ref)} in stack ${stack}`);
    return this.attribute(ref, steps);
  }

  /** A resource attribute: a computed placeholder, or else the (resolved) argument of that name. */
  attribute(ref: ResourceRef, steps: readonly TraversalStep[]): HclValue {
    const shown = `${resourceAddress(ref)}${steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
    if (steps.length === 0) throw new HclError(`${shown}: a whole resource is not a value`);
    const computed = this.computed.attribute(ref, steps, this);
    if (computed !== undefined) return computed;
    const [first, ...rest] = steps;
    if (typeof first === 'string' && this.rawConfig(ref)[first] !== undefined) {
      const value = this.argument(ref, first);
      return indexInto(value ?? null, rest, shown);
    }
    throw new HclError(`${shown}: no placeholder for this attribute, and it is not an argument of the resource`);
  }

  private dataReference(reference: Reference, stack: string): HclValue {
    const shown = formatReference(reference);
    const [type, name, outputs, output, ...rest] = reference.steps;
    if (type !== 'terraform_remote_state' || typeof name !== 'string') throw new HclError(`${shown}: only terraform_remote_state data sources are supported`);
    if (outputs !== 'outputs' || typeof output !== 'string') throw new HclError(`${shown}: expected data.terraform_remote_state.<name>.outputs.<output>`);
    const source = objectAt(this.stack(stack).json, ['data', 'terraform_remote_state', name]);
    if (!source) throw new HclError(`${shown}: no data source terraform_remote_state.${name} in stack ${stack}`);
    const target = this.remoteStateStack(source, shown);
    const outputConfig = objectAt(this.stack(target).json, ['output', output]);
    if (!outputConfig || outputConfig.value === undefined) throw new HclError(`${shown}: stack ${target} has no output '${output}'`);
    const value = this.resolveValue(outputConfig.value, { stack: target, address: `output.${output}` });
    return indexInto(value, rest, shown);
  }

  /** The stack whose state a remote-state data source reads: the state key's file name is the stack name. */
  private remoteStateStack(source: JsonObject, shown: string): string {
    const config = objectAt(source, ['config']);
    const key = config?.key ?? config?.path;
    if (typeof key !== 'string') throw new HclError(`${shown}: the remote state has no literal state key or path`);
    const stack = path.basename(key).replace(/\.tfstate$/, '');
    if (!this.stacks.has(stack)) throw new HclError(`${shown}: the remote state '${key}' is not a stack of this output`);
    return stack;
  }

  /** The AWS provider a resource uses: `provider = "aws.<alias>"` or the default one. */
  private provider(ref: ResourceRef): ProviderInfo {
    const raw = this.rawConfig(ref).provider;
    const alias = typeof raw === 'string' && raw.startsWith('aws.') ? raw.slice(4) : undefined;
    return this.providerOf(ref.stack, alias);
  }

  /** Account and region of a stack's AWS provider (the default one without an alias). */
  providerOf(stack: string, alias?: string): ProviderInfo {
    const key = `${stack}\u0000${alias ?? ''}`;
    const cached = this.providers.get(key);
    if (cached) return cached;
    const location: Location = { stack, address: `provider.aws${alias ? `.${alias}` : ''}` };
    const list = this.stack(stack).json.provider;
    const entries = list && typeof list === 'object' && !Array.isArray(list) ? list.aws : undefined;
    const block = (Array.isArray(entries) ? entries : entries ? [entries] : []).find(
      (entry): entry is JsonObject => entry !== null && typeof entry === 'object' && !Array.isArray(entry) && (entry.alias ?? undefined) === alias,
    );
    if (!block) throw new ResolveError(location, location.address, 'this AWS provider is not configured in the stack');
    // The last role of a chain is the one that acts in the account.
    const assumeRole = Array.isArray(block.assume_role) ? block.assume_role[block.assume_role.length - 1] : block.assume_role;
    const roleArnRaw = assumeRole && typeof assumeRole === 'object' && !Array.isArray(assumeRole) ? assumeRole.role_arn : undefined;
    if (typeof roleArnRaw !== 'string')
      throw new ResolveError(location, '(no assume_role)', "the provider has no assume_role.role_arn, so the resources' account is unknown");
    const roleArn = this.resolveValue(roleArnRaw, { ...location, attribute: 'assume_role.role_arn' });
    const match = typeof roleArn === 'string' ? ACCOUNT_IN_ROLE_ARN.exec(roleArn) : null;
    if (!match) throw new ResolveError({ ...location, attribute: 'assume_role.role_arn' }, roleArnRaw, `resolved to '${String(roleArn)}', not an IAM role ARN`);
    const region = this.resolveValue(block.region ?? null, { ...location, attribute: 'region' });
    if (typeof region !== 'string') throw new ResolveError({ ...location, attribute: 'region' }, String(block.region), 'the provider has no region');
    const info = { account: match[1], region, roleArn: roleArn as string };
    this.providers.set(key, info);
    return info;
  }

  accountOf(ref: ResourceRef): string {
    return this.provider(ref).account;
  }

  regionOf(ref: ResourceRef): string {
    return this.provider(ref).region;
  }
}

/** The kernel's recordAt, typed for the proof's HCL values. */
function objectAt(root: JsonObject, keys: readonly string[]): JsonObject | undefined {
  return recordAt(root, ...keys) as JsonObject | undefined;
}
