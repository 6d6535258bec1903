/**
 * The security model of the platform as the proof sees it, read from the resolved stacks:
 * per tenant its account, the roles in that account with every policy that applies to
 * them, its buckets and keys with their resource policies, its Kubernetes service
 * accounts; and the organization's service and resource control policies with where
 * they are attached. A role policy or boundary the proof cannot read is an error.
 */
import { TENANT_STACK_PREFIX, WELL_KNOWN_ACCESS_ROLE_NAMES } from '../config/names';
import { DEPLOYER_POLICY_ARN } from '../constructs/bootstrap/pipeline-role';
import { TEMPLATE_ROLES, tenantPipelineRoles } from '../constructs/bootstrap/tenant-pipeline-roles-template';
import { PUT_METRIC_DATA_TASK } from '../constructs/shared/metrics-export-definition';
import type { HclValue } from '../kernel/hcl';
import { formatLocation, resourceAddress, ResolveError, type Location, type ResourceRef, type Resolver } from './resolve';

export type PolicyStatement = { readonly [key: string]: HclValue };

export interface ProofPolicyDocument {
  readonly Version: string;
  readonly Statement: readonly PolicyStatement[];
}

export interface NamedPolicy {
  /** Short name for reports: the policy's own name or its kind. */
  readonly name: string;
  /** Where it comes from in the synthesized output. */
  readonly source: string;
  readonly document: ProofPolicyDocument;
}

/**
 * How the proof treats a role: workloads and people must reach their own data; every role
 * must not reach others'. `platform` is the platform's deployer in the account: nobody of any
 * tenant may assume it (its trust is checked like every role's), and since only the
 * platform's pipeline reaches it, it is not a tenant's principal in the cross-tenant checks.
 */
export type RoleKind = 'workload' | 'people' | 'other' | 'platform';

export interface RoleModel {
  readonly label: string;
  readonly name: string;
  readonly arn: string;
  readonly kind: RoleKind;
  readonly trust: NamedPolicy;
  readonly identity: readonly NamedPolicy[];
  readonly boundary?: NamedPolicy;
  /** One of the platform's pipeline roles (deployer, planner), which no principal of any tenant may assume. @default false */
  readonly pipeline?: boolean;
}

export interface BucketModel {
  readonly label: string;
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly policy?: NamedPolicy;
  /** RestrictPublicBuckets of the bucket's public access block. */
  readonly restrictPublic: boolean;
}

export interface KeyModel {
  readonly label: string;
  readonly keyId: string;
  readonly arn: string;
  readonly region: string;
  readonly policy: NamedPolicy;
}

export interface ServiceAccountModel {
  readonly label: string;
  readonly namespace: string;
  readonly name: string;
  /** The IRSA role annotation, if any. */
  readonly roleArn?: string;
}

export interface OidcProviderModel {
  readonly arn: string;
  /** Issuer host and path, without `https://`. */
  readonly host: string;
  readonly audiences: readonly string[];
}

export interface ControlPolicyLevel {
  /** Root, OU or account id. */
  readonly id: string;
  readonly policies: readonly NamedPolicy[];
}

/**
 * Where an account sits in the organization: `known` when the organization stack places
 * it (a vended account), `unknown` when it does not (an adopted account).
 */
export type OrgPlacement =
  | { readonly kind: 'known'; readonly scps: readonly ControlPolicyLevel[]; readonly rcps: readonly ControlPolicyLevel[] }
  | { readonly kind: 'unknown' };

/** A value that identifies one tenant (account id, bucket name, role name, ...) and what it is. */
export interface Identifier {
  readonly value: string;
  readonly label: string;
}

export interface TenantModel {
  readonly name: string;
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  readonly placement: OrgPlacement;
  readonly roles: readonly RoleModel[];
  readonly buckets: readonly BucketModel[];
  readonly keys: readonly KeyModel[];
  readonly serviceAccounts: readonly ServiceAccountModel[];
  readonly oidcProviders: readonly OidcProviderModel[];
  readonly identifiers: readonly Identifier[];
  /** Resource policies of other resource types in the tenant account that the proof does not check. */
  readonly notes: readonly string[];
}

export interface OrganizationModel {
  /** Every SCP level set of the accounts the organization stack places, by account id. */
  readonly placements: ReadonlyMap<string, OrgPlacement>;
  /**
   * The SCPs that may be over an adopted account, for the strict (allow) side: every SCP not
   * attached to one account only (the OUs' and unattached ones). An SCP attached only to other
   * accounts cannot apply to it; its own are `accountScps`.
   */
  readonly ouScps: readonly NamedPolicy[];
  readonly allRcps: readonly NamedPolicy[];
  /** SCPs attached directly to an account, by account id: in force whatever OU the account is in. */
  readonly accountScps: ReadonlyMap<string, readonly NamedPolicy[]>;
}

export interface PlatformModel {
  readonly tenants: readonly TenantModel[];
  readonly organization: OrganizationModel;
  /** The platform's role in each tenant account and the Identity Center sign-ins (proof/accounts.ts). */
  readonly accounts?: AccountsModel;
  /** The shared cluster's OIDC issuer, without `https://`; undefined when no cluster is synthesized. */
  readonly clusterIssuerHost?: string;
  /** The platform's tenant metrics exports (state machines that write into tenant accounts), for proof/metrics.ts. */
  readonly metricsExports?: readonly MetricsExportModel[];
}

/** A state machine of the platform that writes CloudWatch metrics into tenant accounts, and the role it runs as. */
export interface MetricsExportModel {
  /** Where it comes from in the synthesized output. */
  readonly source: string;
  readonly accountId: string;
  readonly region: string;
  readonly role: RoleModel;
  /** The CloudWatch namespace its PutMetricData task writes (in the tenant's account). */
  readonly cloudwatchNamespace: string;
}

/** What AWS attaches at every organization level unless removed; the organization stack does not manage it. */
export const FULL_AWS_ACCESS: NamedPolicy = {
  name: 'FullAWSAccess',
  source: 'AWS default SCP at every level',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

function defaultKeyPolicy(account: string): ProofPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}

/** Parses a resolved policy value (JSON text or an object) into a document with a statement list. */
export function policyDocument(value: HclValue | undefined, location: Location): ProofPolicyDocument {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new ResolveError(location, value, `the policy is not valid JSON (${(error as Error).message})`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ResolveError(location, JSON.stringify(value ?? null), 'the policy is not a JSON object');
  const doc = parsed as { Version?: unknown; Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement !== undefined ? [doc.Statement] : undefined;
  if (!statements || statements.some((s) => s === null || typeof s !== 'object' || Array.isArray(s))) {
    throw new ResolveError(location, JSON.stringify(parsed).slice(0, 200), 'the policy has no list of statement objects');
  }
  return { Version: typeof doc.Version === 'string' ? doc.Version : '2012-10-17', Statement: statements as PolicyStatement[] };
}

function locationOf(ref: ResourceRef, attribute?: string): Location {
  return { stack: ref.stack, address: resourceAddress(ref), attribute };
}

function named(name: string, location: Location, value: HclValue | undefined): NamedPolicy {
  return { name, source: formatLocation(location), document: policyDocument(value, location) };
}

function asObject(value: HclValue | undefined): { [key: string]: HclValue } | undefined {
  if (Array.isArray(value)) return asObject(value[0]);
  return value !== null && typeof value === 'object' ? value : undefined;
}

function stringList(value: HclValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** The federated and AWS principals a trust policy allows. */
export function trustPrincipals(trust: ProofPolicyDocument): { aws: string[]; federated: string[] } {
  const aws: string[] = [];
  const federated: string[] = [];
  for (const statement of trust.Statement) {
    if (statement.Effect !== 'Allow') continue;
    const principal = asObject(statement.Principal);
    if (!principal) continue;
    aws.push(...stringList(principal.AWS));
    federated.push(...stringList(principal.Federated));
  }
  return { aws, federated };
}

class ModelReader {
  private readonly iamPolicyByArn = new Map<string, { ref: ResourceRef; policy: () => NamedPolicy }>();

  constructor(
    private readonly r: Resolver,
    private readonly stack: string,
    private readonly account: string,
  ) {
    for (const ref of this.inAccount('aws_iam_policy')) {
      const arn = r.attribute(ref, ['arn']);
      if (typeof arn === 'string') {
        this.iamPolicyByArn.set(arn, {
          ref,
          policy: () => named(r.stringArgument(ref, 'name'), locationOf(ref, 'policy'), r.policy(ref, { name: 'policy' }, r.argument(ref, 'policy'))),
        });
      }
    }
  }

  inAccount(type: string): ResourceRef[] {
    return this.r.resources(this.stack, type).filter((ref) => this.r.accountOf(ref) === this.account);
  }

  private managedPolicy(arn: string, location: Location): NamedPolicy {
    const found = this.iamPolicyByArn.get(arn);
    if (!found) throw new ResolveError(location, arn, 'the role uses a managed policy that is not defined in this stack, so the proof cannot read it');
    return found.policy();
  }

  role(ref: ResourceRef, workloadArns: ReadonlySet<string>): RoleModel {
    const r = this.r;
    const name = r.stringArgument(ref, 'name');
    const arn = String(r.attribute(ref, ['arn']));
    const trust = named(
      'trust policy',
      locationOf(ref, 'assume_role_policy'),
      r.policy(ref, { name: 'assume_role_policy' }, r.argument(ref, 'assume_role_policy')),
    );
    const identity: NamedPolicy[] = [];
    const inline = r.argument(ref, 'inline_policy');
    for (const block of Array.isArray(inline) ? inline : inline ? [inline] : []) {
      const entry = asObject(block);
      if (!entry || entry.policy === undefined) continue;
      const inlineName = String(entry.name ?? '');
      identity.push(
        named(
          String(entry.name ?? 'inline'),
          locationOf(ref, `inline_policy[${inlineName}]`),
          r.policy(ref, { name: 'inline_policy', inline: inlineName }, entry.policy),
        ),
      );
    }
    for (const policyArn of stringList(r.argument(ref, 'managed_policy_arns')))
      identity.push(this.managedPolicy(policyArn, locationOf(ref, 'managed_policy_arns')));
    const matchesRole = (value: HclValue | undefined) => value === name || value === arn;
    for (const p of this.inAccount('aws_iam_role_policy')) {
      if (matchesRole(r.argument(p, 'role')))
        identity.push(named(String(r.argument(p, 'name') ?? p.name), locationOf(p, 'policy'), r.policy(p, { name: 'policy' }, r.argument(p, 'policy'))));
    }
    for (const a of this.inAccount('aws_iam_role_policy_attachment')) {
      if (matchesRole(r.argument(a, 'role'))) identity.push(this.managedPolicy(r.stringArgument(a, 'policy_arn'), locationOf(a, 'policy_arn')));
    }
    for (const a of this.inAccount('aws_iam_policy_attachment')) {
      if (stringList(r.argument(a, 'roles')).some(matchesRole))
        identity.push(this.managedPolicy(r.stringArgument(a, 'policy_arn'), locationOf(a, 'policy_arn')));
    }
    const boundaryArn = r.optionalStringArgument(ref, 'permissions_boundary');
    const boundary =
      boundaryArn === undefined ? undefined : { ...this.managedPolicy(boundaryArn, locationOf(ref, 'permissions_boundary')), name: 'permissions boundary' };
    const principals = trustPrincipals(trust.document);
    const kind: RoleKind = workloadArns.has(arn)
      ? 'workload'
      : principals.aws.includes(`arn:aws:iam::${this.account}:root`) || principals.aws.includes(this.account)
        ? 'people'
        : 'other';
    return { label: r.constructPath(ref), name, arn, kind, trust, identity, boundary };
  }

  buckets(): BucketModel[] {
    const r = this.r;
    const policies = new Map<string, NamedPolicy>();
    for (const p of this.inAccount('aws_s3_bucket_policy')) {
      const bucket = r.stringArgument(p, 'bucket');
      if (policies.has(bucket)) throw new ResolveError(locationOf(p, 'bucket'), bucket, 'a second bucket policy for the same bucket; AWS keeps only one');
      policies.set(bucket, named('bucket policy', locationOf(p, 'policy'), r.policy(p, { name: 'policy' }, r.argument(p, 'policy'))));
    }
    const restrict = new Map<string, boolean>();
    for (const b of this.inAccount('aws_s3_bucket_public_access_block'))
      restrict.set(r.stringArgument(b, 'bucket'), r.argument(b, 'restrict_public_buckets') === true);
    return this.inAccount('aws_s3_bucket').map((ref) => {
      const name = r.stringArgument(ref, 'bucket');
      return {
        label: r.constructPath(ref),
        name,
        arn: String(r.attribute(ref, ['arn'])),
        region: r.regionOf(ref),
        policy: policies.get(name),
        restrictPublic: restrict.get(name) ?? false,
      };
    });
  }

  keys(): KeyModel[] {
    const r = this.r;
    const separate = new Map<string, NamedPolicy>();
    for (const p of this.inAccount('aws_kms_key_policy'))
      separate.set(r.stringArgument(p, 'key_id'), named('key policy', locationOf(p, 'policy'), r.policy(p, { name: 'policy' }, r.argument(p, 'policy'))));
    return this.inAccount('aws_kms_key').map((ref) => {
      const keyId = String(r.attribute(ref, ['key_id']));
      const arn = String(r.attribute(ref, ['arn']));
      const resolvedOwn = r.argument(ref, 'policy');
      const own = resolvedOwn === undefined ? undefined : r.policy(ref, { name: 'policy' }, resolvedOwn);
      const policy =
        separate.get(keyId) ??
        separate.get(arn) ??
        (own !== undefined
          ? named('key policy', locationOf(ref, 'policy'), own)
          : { name: 'key policy', source: `${formatLocation(locationOf(ref))} (AWS default key policy)`, document: defaultKeyPolicy(this.account) });
      return { label: r.constructPath(ref), keyId, arn, region: r.regionOf(ref), policy };
    });
  }

  serviceAccounts(): ServiceAccountModel[] {
    const r = this.r;
    return ['kubernetes_service_account_v1', 'kubernetes_service_account'].flatMap((type) =>
      r.resources(this.stack, type).map((ref) => {
        const metadata = asObject(r.argument(ref, 'metadata'));
        const name = metadata?.name;
        const namespace = metadata?.namespace ?? 'default';
        if (typeof name !== 'string' || typeof namespace !== 'string')
          throw new ResolveError(locationOf(ref, 'metadata'), JSON.stringify(metadata ?? null), 'the service account has no literal name and namespace');
        const annotations = asObject(metadata?.annotations);
        const roleArn = annotations?.['eks.amazonaws.com/role-arn'];
        return { label: r.constructPath(ref), namespace, name, roleArn: typeof roleArn === 'string' ? roleArn : undefined };
      }),
    );
  }

  oidcProviders(): OidcProviderModel[] {
    const r = this.r;
    return this.inAccount('aws_iam_openid_connect_provider').map((ref) => ({
      arn: String(r.attribute(ref, ['arn'])),
      host: r.stringArgument(ref, 'url').replace(/^https:\/\//, ''),
      audiences: stringList(r.argument(ref, 'client_id_list')),
    }));
  }

  /** Resource types with resource policies in the tenant account that the proof does not simulate. */
  unchecked(): string[] {
    const types = [
      'aws_sqs_queue_policy',
      'aws_sns_topic_policy',
      'aws_ecr_repository_policy',
      'aws_secretsmanager_secret_policy',
      'aws_lambda_permission',
      'aws_glue_resource_policy',
    ];
    return types
      .filter((type) => this.inAccount(type).length > 0)
      .map((type) => `${type} resources exist in the tenant account; the proof checks only S3, KMS and role trust`);
  }
}

function organization(r: Resolver): OrganizationModel {
  const ouParent = new Map<string, string>();
  const accountParent = new Map<string, string>();
  const policies = new Map<string, { policy: NamedPolicy; type: string }>();
  const attachments: { policyId: string; targetId: string }[] = [];
  for (const stack of r.stackNames()) {
    for (const ref of r.resources(stack, 'aws_organizations_organizational_unit'))
      ouParent.set(String(r.attribute(ref, ['id'])), r.stringArgument(ref, 'parent_id'));
    for (const ref of r.resources(stack, 'aws_organizations_account')) {
      const parent = r.optionalStringArgument(ref, 'parent_id');
      if (parent !== undefined) accountParent.set(String(r.attribute(ref, ['id'])), parent);
    }
    for (const ref of r.resources(stack, 'aws_organizations_policy')) {
      const type = r.optionalStringArgument(ref, 'type') ?? 'SERVICE_CONTROL_POLICY';
      if (type !== 'SERVICE_CONTROL_POLICY' && type !== 'RESOURCE_CONTROL_POLICY') continue;
      policies.set(String(r.attribute(ref, ['id'])), {
        type,
        policy: named(r.stringArgument(ref, 'name'), locationOf(ref, 'content'), r.policy(ref, { name: 'content' }, r.argument(ref, 'content'))),
      });
    }
    for (const ref of r.resources(stack, 'aws_organizations_policy_attachment')) {
      attachments.push({ policyId: r.stringArgument(ref, 'policy_id'), targetId: r.stringArgument(ref, 'target_id') });
    }
  }
  const attached = (target: string, type: string): NamedPolicy[] =>
    attachments
      .filter((a) => a.targetId === target && policies.get(a.policyId)?.type === type)
      .map((a) => (policies.get(a.policyId) as { policy: NamedPolicy }).policy);
  const placements = new Map<string, OrgPlacement>();
  for (const [account, parent] of accountParent) {
    const chain = [account];
    for (let id: string | undefined = parent; id !== undefined && !chain.includes(id); id = ouParent.get(id)) chain.unshift(id);
    placements.set(account, {
      kind: 'known',
      scps: chain.map((id) => ({ id, policies: [FULL_AWS_ACCESS, ...attached(id, 'SERVICE_CONTROL_POLICY')] })),
      rcps: chain.map((id) => ({ id, policies: attached(id, 'RESOURCE_CONTROL_POLICY') })).filter((level) => level.policies.length > 0),
    });
  }
  const all = (type: string) => [...policies.values()].filter((p) => p.type === type).map((p) => p.policy);
  const isAccount = (target: string) => /^\d{12}$/.test(target);
  const accountScps = new Map<string, NamedPolicy[]>();
  for (const target of new Set(attachments.map((a) => a.targetId))) {
    if (isAccount(target)) accountScps.set(target, attached(target, 'SERVICE_CONTROL_POLICY'));
  }
  // Policies attached to accounts only (each tenant's own controls) are left out: one apiece, they made every allow check grow with the tenants.
  const accountOnly = new Set(
    [...policies.keys()].filter((id) => {
      const targets = attachments.filter((a) => a.policyId === id).map((a) => a.targetId);
      return targets.length > 0 && targets.every(isAccount);
    }),
  );
  const ouScps = [...policies].filter(([id, p]) => p.type === 'SERVICE_CONTROL_POLICY' && !accountOnly.has(id)).map(([, p]) => p.policy);
  return { placements, ouScps, allRcps: all('RESOURCE_CONTROL_POLICY'), accountScps };
}

function clusterIssuer(r: Resolver): string | undefined {
  const clusters = r.stackNames().flatMap((stack) => r.resources(stack, 'aws_eks_cluster'));
  if (clusters.length === 0) return undefined;
  if (clusters.length > 1) {
    throw new ResolveError(
      locationOf(clusters[1]),
      resourceAddress(clusters[1]),
      'more than one EKS cluster: the proof cannot tell which issuer signs which service account token',
    );
  }
  const issuer = r.attribute(clusters[0], ['identity', 0, 'oidc', 0, 'issuer']);
  return String(issuer).replace(/^https:\/\//, '');
}

function tenant(r: Resolver, stack: string, org: OrganizationModel, stackSetRoles: ReadonlyMap<string, readonly RoleModel[]>): TenantModel {
  const name = stack.slice(TENANT_STACK_PREFIX.length);
  const { account, region } = r.providerOf(stack);
  const reader = new ModelReader(r, stack, account);
  const serviceAccounts = reader.serviceAccounts();
  const workloadArns = new Set(serviceAccounts.map((sa) => sa.roleArn).filter((arn): arn is string => arn !== undefined));
  // The roles the platform's StackSet creates in the account (its deployer and planner) are the account's roles like any other.
  const roles = [...reader.inAccount('aws_iam_role').map((ref) => reader.role(ref, workloadArns)), ...(stackSetRoles.get(account) ?? [])];
  const buckets = reader.buckets();
  const keys = reader.keys();
  const identifiers: Identifier[] = [
    { value: account, label: 'account' },
    { value: name, label: 'tenant' },
    ...roles.filter((role) => !isSharedStackSetRole(role)).map((role) => ({ value: role.name, label: `role:${role.label}` })),
    ...reader.inAccount('aws_iam_policy').map((ref) => ({ value: r.stringArgument(ref, 'name'), label: `policy:${r.constructPath(ref)}` })),
    ...buckets.map((bucket) => ({ value: bucket.name, label: `bucket:${bucket.label}` })),
    ...keys.map((key) => ({ value: key.keyId, label: `key:${key.label}` })),
    ...serviceAccounts.flatMap((sa) => [
      { value: sa.namespace, label: 'namespace' },
      { value: sa.name, label: `service-account:${sa.label}` },
    ]),
  ];
  return {
    name,
    stack,
    accountId: account,
    region,
    placement: org.placements.get(account) ?? { kind: 'unknown' },
    roles,
    buckets,
    keys,
    serviceAccounts,
    oidcProviders: reader.oidcProviders(),
    identifiers,
    notes: reader.unchecked(),
  };
}

/** The CloudWatch namespace a state machine definition's PutMetricData task writes, or undefined when it has none. */
function putMetricDataNamespace(definition: HclValue | undefined, location: Location): string | undefined {
  if (typeof definition !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (error) {
    throw new ResolveError(location, definition.slice(0, 200), `the state machine definition is not valid JSON (${(error as Error).message})`);
  }
  const states = asObject((parsed as { States?: HclValue } | null)?.States);
  for (const state of Object.values(states ?? {})) {
    const task = asObject(state);
    if (task?.Resource !== PUT_METRIC_DATA_TASK) continue;
    const namespace = asObject(task.Arguments)?.Namespace;
    if (typeof namespace !== 'string' || namespace.includes('{%'))
      throw new ResolveError(
        location,
        String(namespace),
        'the PutMetricData task must write one literal CloudWatch namespace, or the proof cannot tell where it writes',
      );
    return namespace;
  }
  return undefined;
}

/** Every state machine outside the tenant stacks that writes metrics (the tenant metrics export), with the role it runs as. */
function metricsExports(r: Resolver): MetricsExportModel[] {
  const found: MetricsExportModel[] = [];
  for (const stack of r.stackNames().filter((name) => !name.startsWith(TENANT_STACK_PREFIX))) {
    for (const ref of r.resources(stack, 'aws_sfn_state_machine')) {
      const namespace = putMetricDataNamespace(r.argument(ref, 'definition'), locationOf(ref, 'definition'));
      if (namespace === undefined) continue;
      const roleArn = r.stringArgument(ref, 'role_arn');
      const account = r.accountOf(ref);
      const reader = new ModelReader(r, stack, account);
      const roleRef = reader.inAccount('aws_iam_role').find((candidate) => r.attribute(candidate, ['arn']) === roleArn);
      if (!roleRef)
        throw new ResolveError(
          locationOf(ref, 'role_arn'),
          roleArn,
          'the state machine runs as a role this stack does not define, so the proof cannot read it',
        );
      found.push({
        source: formatLocation(locationOf(ref)),
        accountId: account,
        region: r.regionOf(ref),
        role: reader.role(roleRef, new Set()),
        cloudwatchNamespace: namespace,
      });
    }
  }
  return found;
}

/** Reads the model of every tenant stack; collects every resolution error rather than stopping at the first. */
export function readPlatformModel(r: Resolver): { model?: PlatformModel; errors: ResolveError[] } {
  const errors: ResolveError[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ResolveError) {
        errors.push(error);
        return undefined;
      }
      throw error;
    }
  };
  const org = attempt(() => organization(r));
  const accounts = attempt(() => readAccounts(r));
  const stackSetRoles = attempt(() => readStackSetRoles(r)) ?? new Map<string, RoleModel[]>();
  const issuer = attempt(() => clusterIssuer(r));
  const tenantStacks = r
    .stackNames()
    .filter((name) => name.startsWith(TENANT_STACK_PREFIX))
    .sort();
  const tenants = org ? tenantStacks.map((stack) => attempt(() => tenant(r, stack, org, stackSetRoles))) : [];
  const exports = attempt(() => metricsExports(r));
  if (errors.length > 0 || !org) return { errors };
  return { model: { tenants: tenants as TenantModel[], organization: org, clusterIssuerHost: issuer, accounts, metricsExports: exports }, errors };
}

/** The AWS managed policy of the deployer, which no stack defines: it allows everything. */
const KNOWN_MANAGED_POLICIES: Readonly<Record<string, ProofPolicyDocument>> = {
  [DEPLOYER_POLICY_ARN]: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/**
 * The IAM roles that CloudFormation StackSets create in tenant accounts, by account id: each
 * StackSet's template read for each of its stack instances' accounts, with the instance's
 * parameters (tenant-pipeline-roles-template.ts).
 */
export function readStackSetRoles(r: Resolver): Map<string, RoleModel[]> {
  const templates = new Map<string, { ref: ResourceRef; template: unknown }>();
  for (const stack of r.stackNames()) {
    for (const ref of r.resources(stack, 'aws_cloudformation_stack_set')) {
      const where = locationOf(ref, 'template_body');
      const body = r.stringArgument(ref, 'template_body');
      try {
        templates.set(r.stringArgument(ref, 'name'), { ref, template: JSON.parse(body) });
      } catch (error) {
        throw new ResolveError(where, body.slice(0, 200), `the template is not valid JSON (${(error as Error).message})`);
      }
    }
  }
  const byAccount = new Map<string, RoleModel[]>();
  for (const stack of r.stackNames()) {
    for (const ref of r.resources(stack, 'aws_cloudformation_stack_set_instance')) {
      const setName = r.stringArgument(ref, 'stack_set_name');
      const found = templates.get(setName);
      if (!found)
        throw new ResolveError(locationOf(ref, 'stack_set_name'), setName, 'no StackSet of this name in the output, so the proof cannot read its roles');
      const targets = asObject(r.argument(ref, 'deployment_targets'));
      const accounts = [...stringList(targets?.accounts), ...stringList(r.argument(ref, 'account_id'))];
      if (accounts.length === 0 || (targets?.account_filter_type !== undefined && targets.account_filter_type !== 'INTERSECTION'))
        throw new ResolveError(
          locationOf(ref, 'deployment_targets'),
          JSON.stringify(targets ?? null),
          'the instance does not name its accounts (INTERSECTION with a list of accounts), so the proof cannot tell which accounts get its roles',
        );
      const overrides = asObject(r.argument(ref, 'parameter_overrides')) ?? {};
      const parameters = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, String(v)]));
      const source = formatLocation(locationOf(found.ref, 'template_body'));
      for (const account of accounts) {
        let roles: ReturnType<typeof tenantPipelineRoles>;
        try {
          roles = tenantPipelineRoles(found.template, account, parameters, source);
        } catch (error) {
          throw new ResolveError(locationOf(ref), setName, (error as Error).message);
        }
        const models = roles.map((role): RoleModel => {
          const at = `${source} ${role.logicalId}`;
          const managed = role.managedPolicyArns.map((arn) => {
            const document = KNOWN_MANAGED_POLICIES[arn];
            if (!document) throw new ResolveError(locationOf(found.ref, 'template_body'), arn, `${role.logicalId} uses a managed policy the proof cannot read`);
            return { name: arn.split('/').pop() ?? arn, source: at, document };
          });
          return {
            label: `${r.constructPath(ref)}:${role.logicalId}`,
            name: role.roleName,
            arn: `arn:aws:iam::${account}:role/${role.roleName}`,
            kind: role.logicalId === TEMPLATE_ROLES.deployer ? 'platform' : 'other',
            pipeline: true,
            trust: { name: 'trust policy', source: at, document: policyDocument(role.trust as unknown as HclValue, locationOf(found.ref, 'template_body')) },
            identity: [
              ...role.inlinePolicies.map((p) => ({
                name: p.name,
                source: at,
                document: policyDocument(p.document as unknown as HclValue, locationOf(found.ref, 'template_body')),
              })),
              ...managed,
            ],
          };
        });
        byAccount.set(account, [...(byAccount.get(account) ?? []), ...models]);
      }
    }
  }
  return byAccount;
}

/** The platform's deployer is named the same in every tenant account: its name identifies no tenant. */
export function isSharedStackSetRole(role: RoleModel): boolean {
  return role.kind === 'platform';
}

/* The account layer's model (proof/accounts.ts proves it): platform roles and Identity Center sign-ins. */

export interface SignInModel {
  /** Where it comes from in the synthesized output. */
  readonly source: string;
  readonly permissionSet: string;
  /** The tenant the permission set is for (its `tenant` tag); undefined when untagged. */
  readonly tenant?: string;
  readonly groupId: string;
  readonly accountId: string;
  readonly policy: NamedPolicy;
}

export interface AccountsModel {
  /** The role the platform deploys with in each tenant account (its provider's assume_role), by tenant. */
  readonly platformRoles: ReadonlyMap<string, string>;
  readonly signIns: readonly SignInModel[];
  /**
   * Names of the organization's access role (the well-known ones and any `role_name` a
   * vended account is given): a role of that name in a tenant account is a tenant principal like
   * any other, whoever it trusts, and must be denied what a tenant administrator is.
   */
  readonly accessRoleNames: readonly string[];
}

const PERMISSION_SET_REF = /^\$\{aws_ssoadmin_permission_set\.([^.}]+)\.arn\}$/;

function permissionSetOf(raw: HclValue | undefined, where: { stack: string; address: string; attribute: string }): string {
  const match = typeof raw === 'string' ? PERMISSION_SET_REF.exec(raw) : null;
  if (!match) throw new ResolveError(where, String(raw), 'expected a reference to a permission set of this stack (aws_ssoadmin_permission_set.<name>.arn)');
  return match[1];
}

/** Reads the platform roles and the Identity Center sign-ins of every stack. */
export function readAccounts(r: Resolver): AccountsModel {
  const platformRoles = new Map<string, string>();
  const signIns: SignInModel[] = [];
  const accessRoleNames = new Set(WELL_KNOWN_ACCESS_ROLE_NAMES);
  for (const stack of r.stackNames()) {
    for (const ref of r.resources(stack, 'aws_organizations_account')) {
      const roleName = r.optionalStringArgument(ref, 'role_name');
      if (roleName !== undefined) accessRoleNames.add(roleName);
    }
    if (stack.startsWith(TENANT_STACK_PREFIX)) platformRoles.set(stack.slice(TENANT_STACK_PREFIX.length), r.providerOf(stack).roleArn);
    const sets = new Map(r.resources(stack, 'aws_ssoadmin_permission_set').map((ref) => [ref.name, ref]));
    const policies = new Map<string, NamedPolicy>();
    for (const ref of r.resources(stack, 'aws_ssoadmin_permission_set_inline_policy')) {
      const where = { stack, address: resourceAddress(ref), attribute: 'inline_policy' };
      const set = permissionSetOf(r.rawConfig(ref).permission_set_arn, { ...where, attribute: 'permission_set_arn' });
      policies.set(set, {
        name: 'permission set policy',
        source: formatLocation(where),
        document: policyDocument(r.policy(ref, { name: 'inline_policy' }, r.argument(ref, 'inline_policy')), where),
      });
    }
    for (const ref of r.resources(stack, 'aws_ssoadmin_account_assignment')) {
      const where = { stack, address: resourceAddress(ref), attribute: 'permission_set_arn' };
      const setName = permissionSetOf(r.rawConfig(ref).permission_set_arn, where);
      const set = sets.get(setName);
      if (!set) throw new ResolveError(where, setName, 'no such permission set in this stack');
      const tags = r.argument(set, 'tags');
      const tenant = tags !== null && typeof tags === 'object' && !Array.isArray(tags) && typeof tags.tenant === 'string' ? tags.tenant : undefined;
      signIns.push({
        source: formatLocation({ stack, address: resourceAddress(ref) }),
        permissionSet: r.stringArgument(set, 'name'),
        tenant,
        groupId: r.stringArgument(ref, 'principal_id'),
        accountId: r.stringArgument(ref, 'target_id'),
        // A permission set without a policy grants nothing.
        policy: policies.get(setName) ?? {
          name: 'permission set policy',
          source: `${formatLocation({ stack, address: resourceAddress(set) })} (none)`,
          document: { Version: '2012-10-17', Statement: [] },
        },
      });
    }
  }
  return { platformRoles, signIns, accessRoleNames: [...accessRoleNames] };
}
