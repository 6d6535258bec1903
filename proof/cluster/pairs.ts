/**
 * Which ordered pairs of tenants the cluster layer checks. Every ordered pair for a few
 * tenants (or with --pairwise); for many, the pairs that stand for all of them:
 *
 * - tenants fall into classes by the shape of the in-cluster objects the pair checks read
 *   (namespace, NetworkPolicies, RBAC), their own name written as a placeholder: every tenant namespace is built by the same code, so a
 *   class usually holds every tenant, and a tenant whose objects differ (a planted or
 *   hand-edited policy, binding or queue) is a class of its own;
 * - every ordered pair of class representatives (two per class, so a class meets itself);
 * - every tenant once as the attacker and once as the target (the next tenant in name
 *   order), so a weakness in one tenant's objects, or in a cluster-wide object that names
 *   it, is met;
 * - a tenant whose objects name another tenant (its name, namespace or group) against every
 *   tenant, both ways: such an object is the way one tenant reaches another.
 *
 * With a focus (a pull request's changed tenants), only the pairs that involve a focus
 * tenant, chosen the same way, each focus tenant representing its class.
 *
 * The admission policies are cluster-wide and read a tenant from its namespace's labels;
 * the network and RBAC checks read each side's own objects. So two pairs whose tenants have
 * the same shapes get the same answer, with the names exchanged.
 */
import type { KubernetesObject } from '../../stacks/kubernetes-objects';
import type { ClusterModel, TenantInCluster } from './cluster-model';

/** Up to this many tenants, every ordered pair is checked (a few seconds). */
export const PAIRWISE_UP_TO = 30;

export interface PairSelection {
  readonly pairs: readonly (readonly [TenantInCluster, TenantInCluster])[];
  /** How the pairs were chosen, for the report. */
  readonly mode: 'pairwise' | 'classes';
  readonly classes: number;
  /** Tenants whose objects name another tenant. */
  readonly irregular: readonly string[];
}

/**
 * The kinds the pair checks read from each tenant's stack: its namespace (admission reads its
 * labels), NetworkPolicies (network) and RBAC objects. Quotas, queues, volumes and pools are
 * checked per tenant, not per pair, so they do not make a tenant a class of its own.
 */
const PAIR_KINDS = new Set(['Namespace', 'NetworkPolicy', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

/** The tenant's objects the pair checks read, as text, its own identifiers replaced by placeholders. */
function shapeOf(objects: readonly KubernetesObject[], tenant: TenantInCluster): string {
  const own = objects.filter((o) => PAIR_KINDS.has(String(o.object.kind))).map((o) => ({ address: o.address.replace(/_[0-9A-F]{8}$/, ''), object: o.object }));
  let text = JSON.stringify(own);
  const identifiers = [...tenant.groups, tenant.namespace, tenant.name].sort((x, y) => y.length - x.length);
  for (const [i, id] of identifiers.entries()) text = text.split(id).join(`<own-${i}>`);
  return text;
}

/** Tenants by every identifier of theirs (name, namespace, groups), to find one named in another's objects. */
function identifierIndex(tenants: readonly TenantInCluster[]): Map<string, TenantInCluster> {
  const index = new Map<string, TenantInCluster>();
  for (const tenant of tenants) for (const id of [tenant.name, tenant.namespace, ...tenant.groups]) index.set(id, tenant);
  return index;
}

/** Whether the tenant's objects name another tenant's identifier, as a whole token of their text. */
function namesOthers(objects: readonly KubernetesObject[], tenant: TenantInCluster, index: ReadonlyMap<string, TenantInCluster>): boolean {
  const text = JSON.stringify(objects.map((o) => o.object));
  // Identifiers are DNS labels or `ml-platform:tenant:<name>` groups: split on everything else.
  for (const token of text.split(/[^a-z0-9:.-]+/)) {
    const owner = index.get(token) ?? index.get(token.replace(/^[:.-]+|[:.-]+$/g, ''));
    if (owner !== undefined && owner !== tenant) return true;
  }
  return false;
}

export function selectPairs(model: ClusterModel, pairwise: boolean, focus?: ReadonlySet<string>): PairSelection {
  const tenants = [...model.tenants].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const involved = (a: TenantInCluster, b: TenantInCluster) => focus === undefined || focus.has(a.name) || focus.has(b.name);
  const all = () => tenants.flatMap((a) => tenants.filter((b) => b !== a && involved(a, b)).map((b) => [a, b] as const));
  if (pairwise || tenants.length <= PAIRWISE_UP_TO) return { pairs: all(), mode: 'pairwise', classes: 0, irregular: [] };

  const byStack = new Map<string, KubernetesObject[]>();
  for (const o of model.objects) byStack.set(o.stack, [...(byStack.get(o.stack) ?? []), o]);
  const objectsOf = (tenant: TenantInCluster) => byStack.get(tenant.stack) ?? [];
  const classes = new Map<string, TenantInCluster[]>();
  for (const tenant of tenants) {
    const shape = shapeOf(objectsOf(tenant), tenant);
    const members = classes.get(shape) ?? [];
    // A focus tenant represents its class, so that it meets every class.
    if (focus?.has(tenant.name)) members.unshift(tenant);
    else members.push(tenant);
    classes.set(shape, members);
  }
  const chosen = new Map<string, readonly [TenantInCluster, TenantInCluster]>();
  const add = (a: TenantInCluster, b: TenantInCluster) => {
    if (a !== b && involved(a, b)) chosen.set(`${a.name}\u0000${b.name}`, [a, b]);
  };
  const representatives = [...classes.values()].flatMap((members) => members.slice(0, 2));
  for (const a of representatives) for (const b of representatives) add(a, b);
  for (const [i, a] of tenants.entries()) add(a, tenants[(i + 1) % tenants.length]);
  const index = identifierIndex(tenants);
  const irregular = tenants.filter((tenant) => namesOthers(objectsOf(tenant), tenant, index));
  for (const x of irregular) {
    for (const y of tenants) {
      add(x, y);
      add(y, x);
    }
  }
  return { pairs: [...chosen.values()], mode: 'classes', classes: classes.size, irregular: irregular.map((t) => t.name) };
}
