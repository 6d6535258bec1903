/**
 * Reachability between two tenants' pods from the synthesized NetworkPolicies, as the
 * policy agent enforces them. Tenants choose their pods' labels, so the model is
 * conservative: only policies selecting every pod isolate, and a rule of any policy in the
 * namespace may allow (a pod can take the labels it selects). A peer with a namespace
 * selector admits every pod of the namespaces it selects; an ipBlock admits the pods whose
 * addresses (the cluster's subnets) it covers beyond its exceptions. Without enforcement
 * every pod reaches every pod.
 */
import { cidrRange } from '../../constructs/shared/cidr';
import { objectsOfKind, type ApiObject, type ClusterModel, type TenantInCluster } from './cluster-model';
import { selectorMatches, selectsEverything } from './selectors';

type Direction = 'Ingress' | 'Egress';

export interface Reachability {
  readonly reachable: boolean;
  readonly why: string;
}

function policyTypes(policy: ApiObject): Direction[] {
  const spec = policy.spec ?? {};
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return spec.policyTypes;
  return spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Ranges of `range` not covered by `except`. */
function subtract(range: { first: number; last: number }, except: { first: number; last: number }[]): boolean {
  const sorted = except.filter((e) => e.last >= range.first && e.first <= range.last).sort((x, y) => x.first - y.first);
  let next = range.first;
  for (const e of sorted) {
    if (e.first > next) return true;
    next = Math.max(next, e.last + 1);
    if (next > range.last) return false;
  }
  return next <= range.last;
}

/** True when the ipBlock admits some address pods can have. */
function ipBlockCoversPods(block: { cidr: string; except?: string[] }, podCidrs: readonly string[]): boolean {
  const allowed = cidrRange(block.cidr);
  const except = (block.except ?? []).map(cidrRange);
  return podCidrs.some((pods) => {
    const p = cidrRange(pods);
    const first = Math.max(p.first, allowed.first);
    const last = Math.min(p.last, allowed.last);
    return first <= last && subtract({ first, last }, except);
  });
}

function peerAdmits(peer: ApiObject, own: TenantInCluster, other: TenantInCluster, podCidrs: readonly string[]): boolean {
  if (peer.ipBlock) return ipBlockCoversPods(peer.ipBlock, podCidrs);
  if (peer.namespaceSelector) return selectorMatches(peer.namespaceSelector, other.namespaceObject.metadata?.labels ?? {});
  // A podSelector alone selects pods of the policy's own namespace.
  return own.namespace === other.namespace;
}

function policiesOf(model: ClusterModel, tenant: TenantInCluster): ApiObject[] {
  return objectsOfKind(model, 'NetworkPolicy')
    .map((o) => o.object as ApiObject)
    .filter((p) => p.metadata?.namespace === tenant.namespace);
}

/** Whether the direction is isolated for every pod of `own`, and if so whether some rule lets `other`'s pods through. */
function side(model: ClusterModel, own: TenantInCluster, other: TenantInCluster, direction: Direction): { open: boolean; why: string } {
  const policies = policiesOf(model, own).filter((p) => policyTypes(p).includes(direction));
  const isolating = policies.filter((p) => selectsEverything(p.spec?.podSelector));
  if (isolating.length === 0) return { open: true, why: `no ${direction} policy of ${own.namespace} selects every pod` };
  const field = direction === 'Ingress' ? 'from' : 'to';
  for (const policy of policies) {
    for (const rule of (policy.spec?.[direction === 'Ingress' ? 'ingress' : 'egress'] ?? []) as ApiObject[]) {
      const peers = (rule[field] ?? []) as ApiObject[];
      if (peers.length === 0) return { open: true, why: `${own.namespace}/${policy.metadata?.name} allows ${direction.toLowerCase()} ${field} anywhere` };
      const peer = peers.find((p) => peerAdmits(p, own, other, model.podCidrs));
      if (peer) return { open: true, why: `${own.namespace}/${policy.metadata?.name} allows ${direction.toLowerCase()} ${field} ${JSON.stringify(peer)}` };
    }
  }
  return { open: false, why: `${own.namespace}/${isolating[0].metadata?.name} isolates ${direction.toLowerCase()}` };
}

/** Can some pod of `from` open a connection to some pod of `to`? */
export function reachability(model: ClusterModel, from: TenantInCluster, to: TenantInCluster): Reachability {
  if (!model.networkPolicyEnforcement.enforced) return { reachable: true, why: `NetworkPolicies are not enforced: ${model.networkPolicyEnforcement.reason}` };
  const egress = side(model, from, to, 'Egress');
  const ingress = side(model, to, from, 'Ingress');
  if (egress.open && ingress.open) return { reachable: true, why: `${egress.why}, and ${ingress.why}` };
  return { reachable: false, why: egress.open ? ingress.why : egress.why };
}
