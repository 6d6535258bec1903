/**
 * Requests the proof asks the IAM evaluator (@cloud-copilot/iam-simulate, AGPL-3.0, a
 * development tool only) about, and the request context they carry. The context is the
 * one an attacker would choose where the caller controls it (TLS on, a region the
 * platform allows) and the truthful one where AWS sets it (principal account and ARN).
 *
 * Decisions come from `runUnsafeSimulation`: it is several times faster and it evaluates
 * OIDC claim keys such as `<issuer>:sub`, which the validating `runSimulation` drops for
 * sts:AssumeRoleWithWebIdentity. Every policy is first validated once through
 * `runSimulation` (see `validationErrors`), and its decisions on the self-access checks
 * are compared with the fast path, so the fast path is never trusted unchecked.
 */
import { runSimulation, runUnsafeSimulation, type Simulation, type SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import type { HclValue } from '../kernel/hcl';
import {
  FULL_AWS_ACCESS,
  type BucketModel,
  type ControlPolicyLevel,
  type KeyModel,
  type NamedPolicy,
  type ProofPolicyDocument,
  type PlatformModel,
  type RoleModel,
  type TenantModel,
} from './model';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** Condition keys whose values the proof supplies; a policy that tests any other key cannot be decided faithfully. */
export const MODELLED_CONDITION_KEYS: readonly string[] = [
  'aws:PrincipalArn',
  'aws:PrincipalAccount',
  'aws:SecureTransport',
  'aws:RequestedRegion',
  'kms:ViaService',
  'kms:GrantIsForAWSResource',
  // Set by the metrics layer's PutMetricData requests (proof/metrics.ts), the only CloudWatch requests the proof makes.
  'cloudwatch:namespace',
];
/** OIDC claims in a service account token that the proof supplies, as `<issuer host>:<claim>`. */
export const MODELLED_TOKEN_CLAIMS: readonly string[] = ['sub', 'aud'];

/** Audience of the tokens EKS projects for IRSA. */
export const IRSA_AUDIENCE = 'sts.amazonaws.com';
/** Object the data checks read and write; any key in the bucket behaves the same under these policies. */
export const PROOF_OBJECT_KEY = 'isolation-proof/object';
const SESSION_NAME = 'isolation-proof';

/** The data actions the isolation claim is about. */
export const BUCKET_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'] as const;
export const KEY_ACTIONS = ['kms:Decrypt'] as const;
/**
 * What another tenant's principal tries on a key beyond decrypting: a grant for an AWS
 * resource through EC2 (what putting an EBS volume under the key takes), in the context it
 * would choose, so a key policy that admits key use for volumes (the EBS CSI driver's
 * statements) is tried too.
 */
export const FOREIGN_KEY_GRANT = 'kms:CreateGrant';
export function throughEc2Context(region: string): Record<string, string> {
  return { 'kms:ViaService': `ec2.${region}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'true' };
}

/** Allow checks assume the strictest organization policies; deny checks the most permissive. */
export type Expectation = 'allow' | 'deny';

/** `sign-in` and `account-control` come from the account layer (proof/accounts.ts), `metrics` from the metrics layer (proof/metrics.ts). */
export type CheckKind = 'data' | 'assume-role' | 'web-identity' | 'sign-in' | 'account-control' | 'metrics';

/** One question to the evaluator, with what the proof expects and how to show it. */
export interface Check {
  readonly kind: CheckKind;
  readonly expect: Expectation;
  readonly principalTenant: string;
  readonly resourceTenant: string;
  /** Who asks: a role ARN, or `pod <namespace>/<service account>`. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly simulation: Simulation;
}

/** A check of a layer beside the pair proof (accounts, metrics): a structural finding has no simulation; `reason` says which layer. */
export type LayerCheck = Omit<Check, 'simulation'> & { readonly simulation?: Simulation; readonly reason: string };

/** Slots of a simulation whose Allow statements can grant a request. */
type GrantSlot = 'identityPolicies' | 'permissionBoundaryPolicies' | 'resourcePolicy';

export interface Culprit {
  readonly source: string;
  readonly statementIndex: number;
  readonly statement: HclValue;
}

/**
 * Control policy levels as the evaluator takes them. A level holding only FullAWSAccess
 * allows every action, so leaving it out decides every request the same, faster.
 */
function levelsFor(levels: readonly ControlPolicyLevel[]): SimulationOrgPolicies[] {
  return levels
    .filter((level) => level.policies.some((p) => p !== FULL_AWS_ACCESS))
    .map((level) => ({ orgIdentifier: level.id, policies: level.policies.map((p) => ({ name: p.name, policy: p.document })) }));
}

export class RequestBuilder {
  constructor(private readonly platform: PlatformModel) {}

  /**
   * SCPs over the principal's account. An account the organization stack does not place gets
   * none when proving a deny; when proving an allow, every SCP that may be over it: the OUs'
   * (any of them may be its OU's) and those attached to the account itself.
   */
  private scps(tenant: TenantModel, expect: Expectation): SimulationOrgPolicies[] {
    if (tenant.placement.kind === 'known') return levelsFor(tenant.placement.scps);
    if (expect === 'deny') return [];
    const { ouScps, accountScps } = this.platform.organization;
    return levelsFor([
      { id: 'organization-root', policies: [FULL_AWS_ACCESS] },
      { id: 'unknown-ou', policies: [FULL_AWS_ACCESS, ...ouScps] },
      { id: tenant.accountId, policies: [FULL_AWS_ACCESS, ...(accountScps.get(tenant.accountId) ?? [])] },
    ]);
  }

  private rcps(tenant: TenantModel, expect: Expectation): SimulationOrgPolicies[] {
    if (tenant.placement.kind === 'known') return levelsFor(tenant.placement.rcps);
    if (expect === 'deny' || this.platform.organization.allRcps.length === 0) return [];
    return levelsFor([{ id: 'unknown-ou', policies: [...this.platform.organization.allRcps] }]);
  }

  private roleSession(tenant: TenantModel, role: RoleModel): string {
    return `arn:aws:sts::${tenant.accountId}:assumed-role/${role.name}/${SESSION_NAME}`;
  }

  private principalContext(tenant: TenantModel, role: RoleModel, region: string): Record<string, string> {
    return { 'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': tenant.accountId, 'aws:SecureTransport': 'true', 'aws:RequestedRegion': region };
  }

  private roleRequest(
    expect: Expectation,
    p: TenantModel,
    role: RoleModel,
    action: string,
    resource: { arn: string; account: string; region: string },
    owner: TenantModel,
    resourcePolicy: NamedPolicy | undefined,
    restrictPublic = false,
    context: Readonly<Record<string, string>> = {},
  ): Simulation {
    return {
      request: {
        principal: this.roleSession(p, role),
        action,
        resource: { resource: resource.arn, accountId: resource.account },
        contextVariables: { ...context, ...this.principalContext(p, role, resource.region) },
      },
      identityPolicies: role.identity.map((policy) => ({ name: policy.name, policy: policy.document })),
      permissionBoundaryPolicies: role.boundary ? [{ name: role.boundary.name, policy: role.boundary.document }] : undefined,
      serviceControlPolicies: this.scps(p, expect),
      resourceControlPolicies: this.rcps(owner, expect),
      resourcePolicy: resourcePolicy?.document,
      additionalSettings: { s3: { blockPublicAccess: restrictPublic } },
    };
  }

  bucketChecks(expect: Expectation, p: TenantModel, role: RoleModel, owner: TenantModel, bucket: BucketModel): Check[] {
    return BUCKET_ACTIONS.map((action) => {
      const arn = action === 's3:ListBucket' ? bucket.arn : `${bucket.arn}/${PROOF_OBJECT_KEY}`;
      return this.dataCheck(expect, p, role, owner, action, { arn, region: bucket.region }, bucket.policy, bucket.restrictPublic);
    });
  }

  /** Own roles must decrypt with their key; other tenants' roles must neither decrypt nor grant it to a volume of theirs (deny checks). */
  keyChecks(expect: Expectation, p: TenantModel, role: RoleModel, owner: TenantModel, key: KeyModel): Check[] {
    const resource = { arn: key.arn, region: key.region };
    const checks = KEY_ACTIONS.map((action) => this.dataCheck(expect, p, role, owner, action, resource, key.policy));
    if (expect === 'allow') return checks;
    return [...checks, this.dataCheck(expect, p, role, owner, FOREIGN_KEY_GRANT, resource, key.policy, false, throughEc2Context(key.region))];
  }

  /** One request of `role` (of tenant `p`) on a data resource of tenant `owner`. */
  private dataCheck(
    expect: Expectation,
    p: TenantModel,
    role: RoleModel,
    owner: TenantModel,
    action: string,
    resource: { arn: string; region: string },
    resourcePolicy: NamedPolicy | undefined,
    restrictPublic = false,
    context: Readonly<Record<string, string>> = {},
  ): Check {
    return {
      kind: 'data',
      expect,
      principalTenant: p.name,
      resourceTenant: owner.name,
      principal: role.arn,
      action,
      resource: resource.arn,
      simulation: this.roleRequest(expect, p, role, action, { ...resource, account: owner.accountId }, owner, resourcePolicy, restrictPublic, context),
    };
  }

  assumeRoleCheck(p: TenantModel, role: RoleModel, owner: TenantModel, target: RoleModel): Check {
    return {
      kind: 'assume-role',
      expect: 'deny',
      principalTenant: p.name,
      resourceTenant: owner.name,
      principal: role.arn,
      action: 'sts:AssumeRole',
      resource: target.arn,
      simulation: this.roleRequest('deny', p, role, 'sts:AssumeRole', { arn: target.arn, account: owner.accountId, region: p.region }, owner, target.trust),
    };
  }

  /**
   * A pod presenting a token of service account `namespace/name` to STS for `target`. STS
   * treats it as coming from the identity provider registered for the token's issuer in
   * the role's account; without one, nothing can be assumed.
   */
  webIdentityCheck(expect: Expectation, tokenTenant: string, namespace: string, name: string, owner: TenantModel, target: RoleModel): Check | undefined {
    const host = this.platform.clusterIssuerHost;
    if (!host) return undefined;
    const provider = owner.oidcProviders.find((candidate) => candidate.host === host);
    const principal = provider?.arn ?? `arn:aws:iam::${owner.accountId}:oidc-provider/${host}`;
    return {
      kind: 'web-identity',
      expect,
      principalTenant: tokenTenant,
      resourceTenant: owner.name,
      principal: `pod ${namespace}/${name}`,
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: target.arn,
      simulation: {
        request: {
          principal,
          action: 'sts:AssumeRoleWithWebIdentity',
          resource: { resource: target.arn, accountId: owner.accountId },
          contextVariables: { [`${host}:sub`]: `system:serviceaccount:${namespace}:${name}`, [`${host}:aud`]: IRSA_AUDIENCE },
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        // Without a registered provider no trust statement can match; an empty policy says so.
        resourcePolicy: provider ? target.trust.document : { Version: '2012-10-17', Statement: [] },
      },
    };
  }
}

/** The shape `runUnsafeSimulation` needs for a resource policy to carry a name (it reads one). */
function validated(document: ProofPolicyDocument | undefined, name: string): unknown {
  return document === undefined ? undefined : { __validated: true, policyDocument: document, metadata: { name }, errors: [] };
}

/** The evaluator's decision, fast path. */
export function decide(simulation: Simulation): Decision {
  return runUnsafeSimulation({ ...simulation, resourcePolicy: validated(simulation.resourcePolicy, 'resource policy') }, {});
}

/**
 * Validates every policy and the request shape through the validating entry point. Returns
 * the problems as lines, and for requests whose context it keeps whole (not web identity),
 * its decision for cross-checking the fast path.
 */
export async function validationErrors(simulation: Simulation): Promise<{ errors: string[]; decision?: Decision }> {
  const result = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (result.resultType !== 'error') return { errors: [], decision: result.overallResult };
  const e = result.errors;
  const lines: string[] = [];
  const add = (where: string, list: readonly { message: string; path?: string }[] | undefined) => {
    for (const error of list ?? []) lines.push(`${where}: ${error.message}${error.path ? ` at ${error.path}` : ''}`);
  };
  for (const [name, list] of Object.entries(e.identityPolicyErrors ?? {})) add(`identity policy ${name}`, list);
  for (const [name, list] of Object.entries(e.permissionBoundaryErrors ?? {})) add(`permissions boundary ${name}`, list);
  for (const [name, list] of Object.entries(e.serviceControlPolicyErrors ?? {})) add(`service control policy ${name}`, list);
  for (const [name, list] of Object.entries(e.resourceControlPolicyErrors ?? {})) add(`resource control policy ${name}`, list);
  add('resource policy', e.resourcePolicyErrors);
  if (lines.length === 0) lines.push(e.message);
  return { errors: lines };
}

function withSlot(simulation: Simulation, slot: GrantSlot, keep: (policyIndex: number, statementIndex: number) => boolean): Simulation {
  const filter = (document: ProofPolicyDocument, policyIndex: number): ProofPolicyDocument => ({
    Version: document.Version,
    Statement: document.Statement.filter((statement, i) => statement.Effect !== 'Allow' || keep(policyIndex, i)),
  });
  if (slot === 'resourcePolicy')
    return { ...simulation, resourcePolicy: simulation.resourcePolicy && filter(simulation.resourcePolicy as ProofPolicyDocument, 0) };
  const list = simulation[slot] ?? [];
  return { ...simulation, [slot]: list.map((entry, i) => ({ ...entry, policy: filter(entry.policy as ProofPolicyDocument, i) })) };
}

/**
 * The Allow statements that grant an allowed request: in each of the identity, boundary
 * and resource slots, a statement that alone (with every Deny kept) still allows, where
 * removing all of the slot's allows would deny.
 */
export function culprits(simulation: Simulation, sources: { identity: readonly string[]; boundary?: string; resource?: string }): Culprit[] {
  const found: Culprit[] = [];
  const slots: { slot: GrantSlot; documents: ProofPolicyDocument[]; source: (i: number) => string }[] = [
    {
      slot: 'identityPolicies',
      documents: simulation.identityPolicies.map((p) => p.policy as ProofPolicyDocument),
      source: (i) => sources.identity[i] ?? `identity policy ${i + 1}`,
    },
    {
      slot: 'permissionBoundaryPolicies',
      documents: (simulation.permissionBoundaryPolicies ?? []).map((p) => p.policy as ProofPolicyDocument),
      source: () => sources.boundary ?? 'permissions boundary',
    },
    {
      slot: 'resourcePolicy',
      documents: simulation.resourcePolicy ? [simulation.resourcePolicy as ProofPolicyDocument] : [],
      source: () => sources.resource ?? 'resource policy',
    },
  ];
  for (const { slot, documents, source } of slots) {
    if (documents.length === 0 || decide(withSlot(simulation, slot, () => false)) === 'Allowed') continue;
    documents.forEach((document, policyIndex) => {
      document.Statement.forEach((statement, statementIndex) => {
        if (statement.Effect !== 'Allow') return;
        if (decide(withSlot(simulation, slot, (p, s) => p === policyIndex && s === statementIndex)) === 'Allowed') {
          found.push({ source: source(policyIndex), statementIndex, statement });
        }
      });
    });
  }
  return found;
}
