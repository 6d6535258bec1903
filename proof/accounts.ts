/**
 * The account layer of the isolation proof: who gets into a tenant account, and what an
 * administrator inside it can still change.
 *
 * - Sign-in: each Identity Center assignment puts a group into an account through a
 *   permission set. The permission set belongs to one tenant (its `tenant` tag); it must be
 *   assigned to that tenant's account only, one group must serve one tenant, and the role
 *   it becomes in the account must reach the tenant's people role and nothing of another
 *   tenant.
 * - Pipeline roles: no tenant principal (an administrator of the account or of another
 *   tenant's, the access role) may assume the platform's deployer or planner in the account.
 * - Account controls: a tenant administrator (a role of the tenant account that its own
 *   policies allow everything, as an adopted account's owner has) must be denied, by the
 *   service control policies alone, every change that would take the account's platform-
 *   managed parts from the platform; so must the organization's access role (in an adopted
 *   account its previous owner made it and chose its trust); the platform's own role must
 *   still be allowed them.
 */
import type { Simulation, SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import { FULL_AWS_ACCESS, type ControlPolicyLevel, type NamedPolicy, type PlatformModel, type SignInModel, type TenantModel } from './model';
import { decide, type Decision } from './simulate';

/** One question about the account layer, shaped like the proof's other checks. */
export interface AccountCheck {
  readonly kind: 'sign-in' | 'account-control';
  readonly expect: 'allow' | 'deny';
  readonly principalTenant: string;
  readonly resourceTenant: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Undefined for a structural finding (a wrong assignment), which no evaluator is asked about. */
  readonly simulation?: Simulation;
  readonly reason: string;
}

const ALLOW_ALL: NamedPolicy = {
  name: 'tenant administrator (allows everything)',
  source: 'proof',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};
const TENANT_ADMIN_ROLE = 'tenant-administrator';

/**
 * The SCPs over an account that the proof can rely on: the whole chain for an account the
 * organization stack places, and the ones attached to the account itself otherwise (its
 * OU is not in the output). Fewer levels only ever allow more, so deny checks stay sound.
 */
function scpLevels(model: PlatformModel, t: TenantModel): SimulationOrgPolicies[] {
  const levels: readonly ControlPolicyLevel[] =
    t.placement.kind === 'known'
      ? t.placement.scps
      : [{ id: t.accountId, policies: [FULL_AWS_ACCESS, ...(model.organization.accountScps.get(t.accountId) ?? [])] }];
  return levels
    .filter((level) => level.policies.some((p) => p !== FULL_AWS_ACCESS))
    .map((level) => ({ orgIdentifier: level.id, policies: level.policies.map((p) => ({ name: p.name, policy: p.document })) }));
}

/** A request of a role of tenant account `t`, under the SCPs the proof can rely on over it. */
export function roleRequest(
  model: PlatformModel,
  t: TenantModel,
  roleArn: string,
  identity: readonly NamedPolicy[],
  action: string,
  resource: string,
  resourceAccount: string,
  resourcePolicy?: unknown,
): Simulation {
  const name = roleArn.split('/').pop() ?? roleArn;
  return {
    request: {
      principal: `arn:aws:sts::${t.accountId}:assumed-role/${name}/isolation-proof`,
      action,
      resource: { resource, accountId: resourceAccount },
      contextVariables: { 'aws:PrincipalArn': roleArn, 'aws:PrincipalAccount': t.accountId, 'aws:SecureTransport': 'true', 'aws:RequestedRegion': t.region },
    },
    identityPolicies: identity.map((p) => ({ name: p.name, policy: p.document })),
    serviceControlPolicies: scpLevels(model, t),
    resourceControlPolicies: [],
    resourcePolicy,
  };
}

/** What a tenant administrator must not do, and the platform role must still do, in one account. */
function controlTargets(t: TenantModel, platformRole: string): { action: string; resource: string; resourcePolicy?: unknown }[] {
  const iam = (kind: string, name: string) => `arn:aws:iam::${t.accountId}:${kind}/${name}`;
  const targets: { action: string; resource: string; resourcePolicy?: unknown }[] = [
    { action: 'iam:UpdateAssumeRolePolicy', resource: platformRole },
    { action: 'iam:PutRolePolicy', resource: platformRole },
    { action: 'iam:DeleteRole', resource: platformRole },
    ...t.roles.flatMap((role) => [
      { action: 'iam:UpdateAssumeRolePolicy', resource: role.arn },
      { action: 'iam:AttachRolePolicy', resource: role.arn },
      { action: 'iam:DeleteRolePermissionsBoundary', resource: role.arn },
    ]),
    // The platform's customer-managed policies in the account (the people boundary).
    ...t.identifiers.filter((id) => id.label.startsWith('policy:')).map((id) => ({ action: 'iam:CreatePolicyVersion', resource: iam('policy', id.value) })),
    { action: 'iam:CreateOpenIDConnectProvider', resource: iam('oidc-provider', 'foreign-cluster.example.com') },
    ...t.oidcProviders.map((provider) => ({ action: 'iam:UpdateOpenIDConnectProviderThumbprint', resource: provider.arn })),
    ...t.buckets.flatMap((bucket) => [
      { action: 's3:PutBucketPolicy', resource: bucket.arn },
      { action: 's3:PutBucketPublicAccessBlock', resource: bucket.arn },
    ]),
    { action: 's3:PutAccountPublicAccessBlock', resource: '*' },
    ...t.keys.map((key) => ({ action: 'kms:PutKeyPolicy', resource: key.arn, resourcePolicy: key.policy.document })),
    { action: 'cloudtrail:StopLogging', resource: `arn:aws:cloudtrail:${t.region}:${t.accountId}:trail/organization-trail` },
    { action: 'guardduty:DeleteDetector', resource: `arn:aws:guardduty:${t.region}:${t.accountId}:detector/detector` },
  ];
  return targets;
}

/** Credentials nobody in a tenant account may create, the platform included. */
const CREDENTIAL_ACTIONS = ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile'];

/**
 * The account controls of tenant `t`: its administrator, the organization's access roles
 * and another tenant's administrator are denied every platform-controlled change, the
 * platform's role is not. With `adminOnly`, the administrator's denies and the platform's
 * allows alone (fast mode, for a tenant whose class representative gets them all).
 */
export function accountControlChecks(model: PlatformModel, t: TenantModel, adminOnly = false): AccountCheck[] {
  const platformRole = model.accounts?.platformRoles.get(t.name);
  if (!platformRole) return [];
  const admin = `arn:aws:iam::${t.accountId}:role/${TENANT_ADMIN_ROLE}`;
  const accessRoles = adminOnly
    ? []
    : (model.accounts?.accessRoleNames ?? []).map((name) => `arn:aws:iam::${t.accountId}:role/${name}`).filter((arn) => arn !== platformRole);
  const checks: AccountCheck[] = [];
  const base = { kind: 'account-control' as const, principalTenant: t.name, resourceTenant: t.name, reason: 'account controls' };
  for (const target of controlTargets(t, platformRole)) {
    for (const who of [admin, ...accessRoles]) {
      checks.push({
        ...base,
        expect: 'deny',
        principal: who,
        action: target.action,
        resource: target.resource,
        simulation: roleRequest(model, t, who, [ALLOW_ALL], target.action, target.resource, t.accountId, target.resourcePolicy),
      });
    }
    checks.push({
      ...base,
      expect: 'allow',
      principal: platformRole,
      action: target.action,
      resource: target.resource,
      simulation: roleRequest(model, t, platformRole, [ALLOW_ALL], target.action, target.resource, t.accountId, target.resourcePolicy),
    });
  }
  // The platform's pipeline roles: no tenant principal may assume them, whatever its own policies allow
  // (an administrator of this account or of another tenant's, the access role).
  const next = adminOnly ? undefined : model.tenants[(model.tenants.indexOf(t) + 1) % model.tenants.length];
  const foreign = next && next !== t ? [{ tenant: next, who: `arn:aws:iam::${next.accountId}:role/${TENANT_ADMIN_ROLE}` }] : [];
  for (const role of t.roles.filter((candidate) => candidate.pipeline)) {
    for (const caller of [{ tenant: t, who: admin }, ...accessRoles.map((who) => ({ tenant: t, who })), ...foreign]) {
      checks.push({
        ...base,
        principalTenant: caller.tenant.name,
        expect: 'deny',
        principal: caller.who,
        action: 'sts:AssumeRole',
        resource: role.arn,
        simulation: roleRequest(model, caller.tenant, caller.who, [ALLOW_ALL], 'sts:AssumeRole', role.arn, t.accountId, role.trust.document),
      });
    }
  }
  for (const action of CREDENTIAL_ACTIONS) {
    for (const who of [admin, platformRole]) {
      const resource = `arn:aws:iam::${t.accountId}:user/someone`;
      checks.push({
        ...base,
        expect: 'deny',
        principal: who,
        action,
        resource,
        simulation: roleRequest(model, t, who, [ALLOW_ALL], action, resource, t.accountId),
      });
    }
  }
  return checks;
}

/** The role Identity Center creates for a permission set in an account (the suffix is random in AWS). */
export function signInRoleArn(accountId: string, permissionSet: string): string {
  return `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${permissionSet}_0123456789abcdef`;
}

/**
 * The sign-in checks: structural ones on every assignment, and simulations of the signed-in
 * role against its own people role (allow) and against the roles, buckets and keys of
 * `others` (deny).
 */
export function signInChecks(model: PlatformModel, signIn: SignInModel, others: (t: TenantModel) => readonly TenantModel[]): AccountCheck[] {
  const byAccount = new Map(model.tenants.map((t) => [t.accountId, t]));
  const target = byAccount.get(signIn.accountId);
  const principal = `Identity Center group ${signIn.groupId} (permission set ${signIn.permissionSet})`;
  const checks: AccountCheck[] = [];
  const owner = signIn.tenant ?? '(untagged permission set)';
  if (!target || target.name !== signIn.tenant) {
    checks.push({
      kind: 'sign-in',
      expect: 'deny',
      principalTenant: owner,
      resourceTenant: target?.name ?? `account ${signIn.accountId}`,
      principal,
      action: 'sso:CreateAccountAssignment',
      resource: `account ${signIn.accountId}`,
      reason: `${signIn.source}: the permission set of '${owner}' is assigned to ${target ? `the account of '${target.name}'` : `account ${signIn.accountId}, which no tenant has`}`,
    });
  }
  if (!target) return checks;
  const role = signInRoleArn(target.accountId, signIn.permissionSet);
  const identity = [signIn.policy];
  const request = (action: string, resource: string, account: string, resourcePolicy?: unknown) =>
    roleRequest(model, target, role, identity, action, resource, account, resourcePolicy);
  const base = { kind: 'sign-in' as const, principalTenant: target.name, principal: role, reason: 'sign-in' };
  if (target.name === signIn.tenant) {
    for (const people of target.roles.filter((r) => r.kind === 'people')) {
      checks.push({
        ...base,
        expect: 'allow',
        resourceTenant: target.name,
        action: 'sts:AssumeRole',
        resource: people.arn,
        simulation: request('sts:AssumeRole', people.arn, target.accountId, people.trust.document),
      });
    }
  }
  for (const other of others(target)) {
    for (const r of other.roles)
      checks.push({
        ...base,
        expect: 'deny',
        resourceTenant: other.name,
        action: 'sts:AssumeRole',
        resource: r.arn,
        simulation: request('sts:AssumeRole', r.arn, other.accountId, r.trust.document),
      });
    for (const bucket of other.buckets) {
      const object = `${bucket.arn}/isolation-proof/object`;
      checks.push({
        ...base,
        expect: 'deny',
        resourceTenant: other.name,
        action: 's3:GetObject',
        resource: object,
        simulation: request('s3:GetObject', object, other.accountId, bucket.policy?.document),
      });
    }
    for (const key of other.keys)
      checks.push({
        ...base,
        expect: 'deny',
        resourceTenant: other.name,
        action: 'kms:Decrypt',
        resource: key.arn,
        simulation: request('kms:Decrypt', key.arn, other.accountId, key.policy.document),
      });
  }
  return checks;
}

/** Groups assigned into the accounts of more than one tenant: one group would be both tenants' people. */
export function sharedGroupChecks(model: PlatformModel): AccountCheck[] {
  const byAccount = new Map(model.tenants.map((t) => [t.accountId, t.name]));
  const tenantsOf = new Map<string, Set<string>>();
  for (const s of model.accounts?.signIns ?? []) {
    const tenant = byAccount.get(s.accountId) ?? `account ${s.accountId}`;
    tenantsOf.set(s.groupId, new Set([...(tenantsOf.get(s.groupId) ?? []), tenant]));
  }
  return [...tenantsOf]
    .filter(([, tenants]) => tenants.size > 1)
    .map(([group, tenants]) => {
      const [first, second] = [...tenants].sort();
      return {
        kind: 'sign-in' as const,
        expect: 'deny' as const,
        principalTenant: first,
        resourceTenant: second,
        principal: `Identity Center group ${group}`,
        action: 'sso:CreateAccountAssignment',
        resource: `the accounts of ${[...tenants].sort().join(', ')}`,
        reason: 'one group is assigned into the accounts of several tenants',
      };
    });
}

export interface AccountProofResult {
  /** Checks whose decision is not what isolation needs, with the decision. */
  readonly failed: readonly { readonly check: AccountCheck; readonly decision: Decision }[];
  readonly simulations: number;
  /** What was covered, for the report. */
  readonly signIns: number;
  readonly accountsControlled: number;
}

/**
 * Runs the account layer. Pairwise mode signs in against every other tenant; fast mode
 * against the next tenant in name order: the signed-in role is a principal of the tenant
 * account like any other, and the pair proof already shows that no principal of one
 * tenant account reaches another tenant's roles, buckets or keys. With `focus`, only the
 * checks that involve a focus tenant: its account controls and sign-ins, and the sign-ins
 * of other tenants whose checks reach a focus tenant (every other tenant's, pairwise).
 * With `fullControls` (fast mode: class representatives, irregular and focus tenants),
 * another tenant's account whose control policies read, names aside, as one checked in
 * full gets its administrator's denies and the platform's allows only.
 */
export function proveAccounts(
  model: PlatformModel,
  tenants: readonly TenantModel[],
  mode: 'fast' | 'pairwise',
  focus?: ReadonlySet<string>,
  fullControls?: ReadonlySet<string>,
): AccountProofResult {
  const failed: { check: AccountCheck; decision: Decision }[] = [];
  let simulations = 0;
  const run = (check: AccountCheck) => {
    let decision: Decision = 'Allowed';
    if (check.simulation) {
      simulations++;
      decision = decide(check.simulation);
    }
    const ok = check.expect === 'allow' ? decision === 'Allowed' : decision !== 'Allowed';
    if (!ok) failed.push({ check, decision });
  };
  const covers = (t: TenantModel | undefined) => focus === undefined || (t !== undefined && focus.has(t.name));
  const index = new Map(tenants.map((t, i) => [t, i]));
  const others = (t: TenantModel): TenantModel[] => {
    const rest = tenants.filter((o) => o !== t);
    const chosen = mode === 'pairwise' || rest.length === 0 ? rest : [rest[(index.get(t) ?? 0) % rest.length]];
    // Another tenant's sign-in is checked only against focus tenants: the pairs without one are the base's.
    return covers(t) ? chosen : chosen.filter(covers);
  };
  let accountsControlled = 0;
  // Control policies fully checked, by their text with the account and tenant names left out:
  // an account whose policies differ from every one checked in full is checked in full too.
  const checkedInFull = new Set<string>();
  const controlsSignature = (t: TenantModel) => JSON.stringify(scpLevels(model, t)).replaceAll(t.accountId, '<account>').replaceAll(t.name, '<tenant>');
  const ordered = fullControls ? [...tenants.filter((t) => fullControls.has(t.name)), ...tenants.filter((t) => !fullControls.has(t.name))] : tenants;
  for (const t of ordered) {
    if (!covers(t)) continue;
    const signature = fullControls ? controlsSignature(t) : '';
    const adminOnly = fullControls !== undefined && !fullControls.has(t.name) && checkedInFull.has(signature);
    if (fullControls && !adminOnly) checkedInFull.add(signature);
    const checks = accountControlChecks(model, t, adminOnly);
    if (checks.length > 0) accountsControlled++;
    checks.forEach(run);
  }
  const signIns = model.accounts?.signIns ?? [];
  const byAccount = new Map(tenants.map((t) => [t.accountId, t]));
  for (const signIn of signIns) {
    const target = byAccount.get(signIn.accountId);
    const involved = covers(target) || (signIn.tenant !== undefined && focus?.has(signIn.tenant)) || (target !== undefined && others(target).length > 0);
    if (target && !involved) continue;
    signInChecks(model, signIn, others).forEach(run);
  }
  sharedGroupChecks(model).forEach(run);
  return { failed, simulations, signIns: signIns.length, accountsControlled };
}
