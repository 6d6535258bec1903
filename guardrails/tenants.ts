/**
 * Every tenant's identifiers (names, account ids, e-mails, namespaces, the unique ids of
 * its resources in its account stack), indexed once, so that a tenant stack is
 * checked in time linear in its own size whatever the number of tenants.
 */
import { knownAccountId, type Platform, type Tenant } from '../config/model';
import { tenantNames, UNKNOWN_ACCOUNT_ID } from '../config/names';

export interface TenantIdentity {
  readonly tenant: string;
  /** The bare tenant name and namespace: matched only as a whole string value, since a short name may be a common word. */
  readonly names: readonly string[];
  /** Derived names, account ids, e-mails: matched as tokens anywhere in a string. */
  readonly identifiers: readonly string[];
  /** cdktf unique ids (`<id>_<8 hex digits>`), matched inside longer strings such as cross-stack output names. */
  readonly uniqueIds?: readonly string[];
}

export interface ForeignIdentifier {
  readonly identifier: string;
  readonly owner: string;
}

/**
 * Token levels: split at characters names never hold but keep `/` (key aliases), then
 * split at `/` (ARNs, paths), then at `_ . @ +` (addresses, file names, e-mails).
 */
const OUTER_SEPARATORS = /[^A-Za-z0-9_.@+/-]+/;
const PATH_SEPARATORS = /\/+/;
const INNER_SEPARATORS = /[_.@+]+/;
const UNIQUE_ID_HASH = /_([0-9A-F]{8})/g;

function index(map: Map<string, Set<string>>, key: string, owner: string): void {
  if (!key) return;
  const owners = map.get(key) ?? new Set<string>();
  owners.add(owner);
  map.set(key, owners);
}

function tokensOf(text: string): Set<string> {
  const tokens = new Set<string>();
  for (const outer of text.split(OUTER_SEPARATORS)) {
    if (!outer) continue;
    tokens.add(outer);
    for (const part of outer.split(PATH_SEPARATORS)) {
      if (!part) continue;
      tokens.add(part);
      for (const inner of part.split(INNER_SEPARATORS)) if (inner) tokens.add(inner);
    }
  }
  return tokens;
}

export class TenantDirectory {
  private readonly byName = new Map<string, Set<string>>();
  private readonly byToken = new Map<string, Set<string>>();
  private readonly uniqueIdsByHash = new Map<string, { uniqueId: string; owner: string }[]>();

  constructor(identities: readonly TenantIdentity[]) {
    for (const identity of identities) {
      for (const name of identity.names) index(this.byName, name, identity.tenant);
      for (const identifier of identity.identifiers) index(this.byToken, identifier, identity.tenant);
      for (const uniqueId of identity.uniqueIds ?? []) {
        const hash = /_([0-9A-F]{8})$/.exec(uniqueId)?.[1];
        if (!hash) continue;
        const entries = this.uniqueIdsByHash.get(hash) ?? [];
        entries.push({ uniqueId, owner: identity.tenant });
        this.uniqueIdsByHash.set(hash, entries);
      }
    }
  }

  /** An empty directory: no tenant identifiers, for stacks checked on their own. */
  static empty(): TenantDirectory {
    return new TenantDirectory([]);
  }

  private isOwnedBy(value: string, tenant: string): boolean {
    return this.byName.get(value)?.has(tenant) === true || this.byToken.get(value)?.has(tenant) === true;
  }

  /**
   * Identifiers of tenants other than `tenant` in the string value `text`. A value that is
   * also one of `tenant`'s own identifiers is its own (two tenants' derived names may coincide).
   */
  foreignIdentifiers(text: string, tenant: string): ForeignIdentifier[] {
    const found: ForeignIdentifier[] = [];
    const report = (identifier: string, owners: Set<string> | undefined) => {
      if (!owners || this.isOwnedBy(identifier, tenant)) return;
      for (const owner of owners) found.push({ identifier, owner });
    };
    report(text, this.byName.get(text));
    for (const token of tokensOf(text)) report(token, this.byToken.get(token));
    if (this.uniqueIdsByHash.size > 0) {
      for (const match of text.matchAll(UNIQUE_ID_HASH)) {
        for (const entry of this.uniqueIdsByHash.get(match[1]) ?? []) {
          if (entry.owner !== tenant && text.includes(entry.uniqueId)) found.push({ identifier: entry.uniqueId, owner: entry.owner });
        }
      }
    }
    return found;
  }
}

/** Identifiers the configuration gives a tenant: its name and namespace, every derived name, its account. */
export function tenantIdentity(platform: Platform, tenant: Tenant, uniqueIds: readonly string[] = []): TenantIdentity {
  const names = tenantNames(platform.name, platform.platformAccountId, tenant.name, knownAccountId(tenant));
  const identifiers = [
    names.stack,
    names.serviceAccount,
    names.workloadRole,
    names.peopleRole,
    names.peopleBoundaryPolicy,
    names.nodeRole,
    names.keyAlias,
    names.budget,
    names.accountBudget,
    names.accountName,
    ...tenant.buckets.map((bucket) => names.bucket(bucket.purpose)),
    ...tenant.gpuPools.flatMap((pool) => [names.nodePool(pool.name), names.warmNodePool(pool.name)]),
    tenant.account.kind === 'adopted' ? tenant.account.id : tenant.account.email,
  ];
  // A vended account's bucket names carry its id, unknown until vending: nothing to look for yet.
  const known = identifiers.filter((identifier) => !identifier.includes(UNKNOWN_ACCOUNT_ID));
  return { tenant: tenant.name, names: [...new Set([tenant.name, names.namespace])], identifiers: [...new Set(known)], uniqueIds };
}
