/**
 * The structure that keeps the proof near-linear: every tenant's policies are produced by
 * the same constructs, parameterised only by the tenant's identifiers. Replacing a
 * tenant's identifiers by placeholders gives its normal form; tenants with equal normal
 * forms fall in one class, and a cross-tenant decision depends only on the two classes
 * (docs/isolation-proof.md gives the argument and its conditions). A tenant whose
 * policies break a condition of the argument is irregular and is proved pairwise.
 *
 * Identifiers are compared as whole tokens, where a token is a run of characters between
 * ':' and '/' (the delimiters of ARNs and service-account subjects).
 */
import { createHash } from 'node:crypto';
import type { HclValue } from '../kernel/hcl';
import type { ControlPolicyLevel, Identifier, NamedPolicy, OrgPlacement, ProofPolicyDocument, PolicyStatement, TenantModel } from './model';

const DELIMITERS = /([:/])/;

export function tokens(text: string): string[] {
  return text.split(DELIMITERS).filter((part) => part !== ':' && part !== '/');
}

export function renameTokens(text: string, rename: ReadonlyMap<string, string>): string {
  if (rename.size === 0) return text;
  return text
    .split(DELIMITERS)
    .map((part) => rename.get(part) ?? part)
    .join('');
}

function renameValue(value: HclValue, rename: ReadonlyMap<string, string>): HclValue {
  if (typeof value === 'string') return renameTokens(value, rename);
  if (Array.isArray(value)) return value.map((item) => renameValue(item, rename));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [renameTokens(key, rename), renameValue(item, rename)]));
  }
  return value;
}

function renamePolicy(policy: NamedPolicy, rename: ReadonlyMap<string, string>): NamedPolicy {
  return {
    ...policy,
    document: { Version: policy.document.Version, Statement: policy.document.Statement.map((s) => renameValue(s, rename) as PolicyStatement) },
  };
}

function renameLevels(levels: readonly ControlPolicyLevel[], rename: ReadonlyMap<string, string>): ControlPolicyLevel[] {
  return levels.map((level) => ({ id: renameTokens(level.id, rename), policies: level.policies.map((p) => renamePolicy(p, rename)) }));
}

function renamePlacement(placement: OrgPlacement, rename: ReadonlyMap<string, string>): OrgPlacement {
  return placement.kind === 'unknown' ? placement : { kind: 'known', scps: renameLevels(placement.scps, rename), rcps: renameLevels(placement.rcps, rename) };
}

/** The tenant with every identifier token renamed; used for the synthetic twin and for normal forms. */
export function renameTenant(t: TenantModel, rename: ReadonlyMap<string, string>, name: string): TenantModel {
  const s = (text: string) => renameTokens(text, rename);
  const p = (policy: NamedPolicy) => renamePolicy(policy, rename);
  return {
    ...t,
    name,
    accountId: s(t.accountId),
    placement: renamePlacement(t.placement, rename),
    roles: t.roles.map((role) => ({
      ...role,
      name: s(role.name),
      arn: s(role.arn),
      trust: p(role.trust),
      identity: role.identity.map(p),
      boundary: role.boundary && p(role.boundary),
    })),
    buckets: t.buckets.map((bucket) => ({ ...bucket, name: s(bucket.name), arn: s(bucket.arn), policy: bucket.policy && p(bucket.policy) })),
    keys: t.keys.map((key) => ({ ...key, keyId: s(key.keyId), arn: s(key.arn), policy: p(key.policy) })),
    serviceAccounts: t.serviceAccounts.map((sa) => ({ ...sa, namespace: s(sa.namespace), name: s(sa.name), roleArn: sa.roleArn && s(sa.roleArn) })),
    oidcProviders: t.oidcProviders.map((provider) => ({ ...provider, arn: s(provider.arn) })),
    identifiers: t.identifiers.map((id) => ({ ...id, value: s(id.value) })),
  };
}

/** Every policy that decides a request involving the tenant, with what it belongs to. */
export function tenantPolicies(t: TenantModel): { policy: NamedPolicy; owner: string }[] {
  const levels = t.placement.kind === 'known' ? [...t.placement.scps, ...t.placement.rcps] : [];
  return [
    ...t.roles.flatMap((role) =>
      [role.trust, ...role.identity, ...(role.boundary ? [role.boundary] : [])].map((policy) => ({ policy, owner: `role:${role.label}` })),
    ),
    ...t.buckets.flatMap((bucket) => (bucket.policy ? [{ policy: bucket.policy, owner: `bucket:${bucket.name}` }] : [])),
    ...t.keys.map((key) => ({ policy: key.policy, owner: `key:${key.keyId}` })),
    ...levels.flatMap((level) => level.policies.map((policy) => ({ policy, owner: `organization level ${level.id}` }))),
  ];
}

/**
 * Words that are fixed parts of ARNs and subjects. A tenant identifier equal to one of
 * them cannot be told apart from the word, so it is neither renamed nor indexed, and the
 * tenant is proved pairwise instead.
 */
const STRUCTURAL_TOKENS = new Set([
  'arn',
  'aws',
  'aws-cn',
  'aws-us-gov',
  'iam',
  'sts',
  's3',
  'kms',
  'eks',
  'ecr',
  'ec2',
  'logs',
  'sagemaker',
  'athena',
  'glue',
  'cloudwatch',
  'root',
  'role',
  'policy',
  'user',
  'group',
  'key',
  'alias',
  'assumed-role',
  'federated-user',
  'oidc-provider',
  'saml-provider',
  'cluster',
  'repository',
  'system',
  'serviceaccount',
  'id',
]);

export function isStructuralToken(value: string): boolean {
  return STRUCTURAL_TOKENS.has(value) || /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(value) || value === '*' || value === '';
}

function indexed(t: TenantModel): Identifier[] {
  return t.identifiers.filter((id) => !isStructuralToken(id.value));
}

/** Which tenants own each identifier value (lowercased: some IAM comparisons ignore case), over all tenants. */
export type IdentifierIndex = ReadonlyMap<string, readonly { tenant: string; label: string }[]>;

export function identifierIndex(tenants: readonly TenantModel[]): IdentifierIndex {
  const index = new Map<string, { tenant: string; label: string }[]>();
  for (const t of tenants) {
    for (const id of indexed(t)) {
      const key = id.value.toLowerCase();
      const owners = index.get(key) ?? [];
      if (!owners.some((o) => o.tenant === t.name && o.label === id.label)) owners.push({ tenant: t.name, label: id.label });
      index.set(key, owners);
    }
  }
  return index;
}

/** Statement fields whose strings can only name actions: identifiers and wildcards there do not select resources or principals. */
const ACTION_FIELDS = new Set(['Action', 'NotAction']);

function visitStrings(statement: PolicyStatement, visit: (text: string, field: string) => void): void {
  const walk = (value: HclValue, field: string): void => {
    if (typeof value === 'string') visit(value, field);
    else if (Array.isArray(value)) for (const item of value) walk(item, field);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (field === 'Condition') visit(key, 'Condition key');
        walk(item, field);
      }
    }
  };
  for (const [field, value] of Object.entries(statement)) if (field !== 'Sid' && field !== 'Effect') walk(value, field);
}

function statementName(policy: NamedPolicy, index: number): string {
  const sid = policy.document.Statement[index]?.Sid;
  return `${policy.source} statement ${index + 1}${typeof sid === 'string' && sid ? ` (${sid})` : ''}`;
}

/** The service of an ARN. */
const ARN_SERVICE = /^arn:[^:]*:([^:]*):/;
/** The services of the resources a cross-tenant check asks about (roles, buckets, keys). */
const CROSS_TENANT_SERVICES = new Set(['iam', 'sts', 's3', 'kms']);

/**
 * Why the class argument does not cover the tenant; empty when it does. The conditions:
 * (1) its policies name no identifier of another tenant, and share none with one;
 * (2) wildcards outside Action appear only as whole tokens ('*' between delimiters), and
 *     no policy variables (`${...}`) appear, so matching never depends on part of a name
 *     (an ARN of another service, such as the platform's CloudFormation stacks, can never
 *     match a role, bucket or key, so a wildcard inside it matters to no cross-tenant check);
 * (3) a bucket's or key's policy names no other bucket or key of the same tenant.
 */
export function irregularities(t: TenantModel, index: IdentifierIndex): string[] {
  const reasons = new Set<string>();
  for (const id of t.identifiers) {
    if (isStructuralToken(id.value)) reasons.add(`its ${id.label} '${id.value}' is also a fixed word of ARNs, so it cannot be told apart in policies`);
  }
  for (const id of indexed(t)) {
    const others = (index.get(id.value.toLowerCase()) ?? []).filter((o) => o.tenant !== t.name);
    if (others.length > 0) reasons.add(`its ${id.label} '${id.value}' is also an identifier of ${others.map((o) => `${o.tenant} (${o.label})`).join(', ')}`);
  }
  const ownBuckets = new Set(t.buckets.map((b) => b.name));
  const ownKeys = new Set(t.keys.map((k) => k.keyId));
  for (const { policy, owner } of tenantPolicies(t)) {
    policy.document.Statement.forEach((statement, i) => {
      visitStrings(statement, (text, field) => {
        if (ACTION_FIELDS.has(field)) return;
        if (text.includes('${')) reasons.add(`${statementName(policy, i)} uses a policy variable in ${field}: '${text}'`);
        const outsideProof = ARN_SERVICE.exec(text)?.[1];
        for (const token of tokens(text)) {
          if (/[*?]/.test(token) && token !== '*' && !(outsideProof !== undefined && !CROSS_TENANT_SERVICES.has(outsideProof)))
            reasons.add(`${statementName(policy, i)} has a wildcard inside a name in ${field}: '${text}'`);
          const foreign = (index.get(token.toLowerCase()) ?? []).filter((o) => o.tenant !== t.name);
          if (foreign.length > 0) reasons.add(`${statementName(policy, i)} names ${foreign.map((o) => `${o.tenant}'s ${o.label}`).join(', ')} ('${token}')`);
          if (owner.startsWith('bucket:') && ownBuckets.has(token) && `bucket:${token}` !== owner)
            reasons.add(`${statementName(policy, i)} names another bucket of the tenant ('${token}')`);
          if (owner.startsWith('key:') && ownKeys.has(token) && `key:${token}` !== owner)
            reasons.add(`${statementName(policy, i)} names another key of the tenant ('${token}')`);
        }
      });
    });
  }
  return [...reasons];
}

/** Placeholder for each identifier value; buckets and keys collapse to one placeholder each, so their count does not matter. */
function placeholders(identifiers: readonly Identifier[]): Map<string, string> {
  const labels = new Map<string, Set<string>>();
  for (const id of identifiers) {
    const general = id.label.startsWith('bucket:') ? 'bucket' : id.label.startsWith('key:') ? 'key' : id.label;
    labels.set(id.value, (labels.get(id.value) ?? new Set()).add(general));
  }
  return new Map([...labels].map(([value, set]) => [value, `{${[...set].sort().join('|')}}`]));
}

function canonical(value: HclValue): HclValue {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    // Lists in a policy are sets; after placeholders, per-bucket entries coincide and merge.
    const unique = [...new Map(items.map((item) => [JSON.stringify(item), item])).values()];
    return unique.every((item) => typeof item === 'string') ? unique.sort() : unique;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  return value;
}

function documentForm(document: ProofPolicyDocument): HclValue {
  return document.Statement.map((statement) => canonical(statement));
}

function sortedUnique(values: HclValue[]): HclValue[] {
  return [...new Map(values.map((v) => [JSON.stringify(v), v])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** The normal form of a tenant: its model with identifiers replaced by placeholders, as canonical JSON. */
export function normalForm(t: TenantModel): string {
  const n = renameTenant(t, placeholders(indexed(t)), '{tenant}');
  // A control policy's name decides nothing (a per-account policy is named after its tenant): only documents count.
  const levels = (list: readonly ControlPolicyLevel[]) =>
    list.map((level) => ({ id: level.id, policies: level.policies.map((p) => ({ document: documentForm(p.document) })) }));
  const form: HclValue = {
    region: n.region,
    placement: n.placement.kind === 'known' ? { kind: 'known', scps: levels(n.placement.scps), rcps: levels(n.placement.rcps) } : { kind: 'unknown' },
    roles: n.roles
      .map((role) => ({
        label: role.label,
        kind: role.kind,
        name: role.name,
        arn: role.arn,
        trust: documentForm(role.trust.document),
        identity: sortedUnique(role.identity.map((p) => documentForm(p.document))),
        boundary: role.boundary ? documentForm(role.boundary.document) : null,
      }))
      .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
    buckets: sortedUnique(
      n.buckets.map((b) => ({ region: b.region, restrictPublic: b.restrictPublic, policy: b.policy ? documentForm(b.policy.document) : null })),
    ),
    keys: sortedUnique(n.keys.map((k) => ({ region: k.region, policy: documentForm(k.policy.document) }))),
    serviceAccounts: sortedUnique(n.serviceAccounts.map((sa) => ({ namespace: sa.namespace, name: sa.name, roleArn: sa.roleArn ?? null }))),
    oidcProviders: sortedUnique(n.oidcProviders.map((p) => ({ arn: p.arn, host: p.host, audiences: [...p.audiences].sort() }))),
  };
  return JSON.stringify(form);
}

export function classId(form: string): string {
  return createHash('sha256').update(form).digest('hex').slice(0, 10);
}

/** Fresh values for a twin: unused by any tenant, and single tokens, like the real identifiers. */
export function twinRenaming(t: TenantModel, index: IdentifierIndex, usedAccounts: ReadonlySet<string>): Map<string, string> {
  const rename = new Map<string, string>();
  let counter = 0;
  const fresh = (prefix: string): string => {
    let candidate: string;
    do candidate = `${prefix}${counter++}`;
    while (index.has(candidate));
    return candidate;
  };
  for (const id of indexed(t)) {
    if (rename.has(id.value)) continue;
    if (id.label === 'account') {
      let account = 999000000000 + (parseInt(createHash('sha256').update(t.name).digest('hex').slice(0, 8), 16) % 1000000);
      while (usedAccounts.has(String(account)) || index.has(String(account))) account++;
      rename.set(id.value, String(account));
    } else if (id.label.startsWith('key:')) {
      rename.set(id.value, `00000000-0000-4000-8000-${String(counter++).padStart(12, '0')}`);
    } else {
      rename.set(id.value, fresh('isolation-proof-twin-'));
    }
  }
  return rename;
}
