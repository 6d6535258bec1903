/**
 * What the cluster layer of the isolation proof reads from the synthesized output: each
 * tenant's namespace and Kubernetes groups, and every admission policy, binding,
 * NetworkPolicy and RBAC object, as API objects (stacks/kubernetes-objects.ts), plus whether
 * the CNI enforces NetworkPolicies and which addresses pods take.
 */
import { isRecord } from '../../kernel/records';
import { TENANT_STACK_PREFIX } from '../../config/names';
import { enforcesNetworkPolicies } from '../../constructs/cluster/vpc-cni';
import { kubernetesObjects, KubernetesObjectError, type KubernetesObject, type SynthesizedResources } from '../../stacks/kubernetes-objects';
import type { SynthStack } from '../resolve';

/** A Kubernetes API object or Terraform block read by path (metadata.labels, spec.rules, ...); tools/kubernetes-schema validates the objects' shape. */
// biome-ignore lint/suspicious/noExplicitAny: objects of many kinds are walked by path, and their shapes are checked against the API schemas elsewhere
export type JsonRecord = Record<string, any>;
export type ApiObject = Readonly<JsonRecord>;

/** Label the API server sets on every namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface TenantInCluster {
  readonly name: string;
  readonly stack: string;
  readonly namespace: string;
  readonly namespaceObject: ApiObject;
  /** Kubernetes groups the tenant's people role maps to (its access entries). */
  readonly groups: readonly string[];
}

export interface ClusterModel {
  readonly tenants: readonly TenantInCluster[];
  readonly objects: readonly KubernetesObject[];
  /** Tenant stacks without a namespace (retained tenants): nothing of theirs runs in the cluster. */
  readonly withoutNamespace: readonly string[];
  readonly networkPolicyEnforcement: { readonly enforced: boolean; readonly reason: string };
  /** Subnets pods take addresses from (the cluster's subnets). */
  readonly podCidrs: readonly string[];
  readonly problems: readonly string[];
}

function resourcesOf(stack: SynthStack, type: string): [string, JsonRecord][] {
  const resources = (stack.json as SynthesizedResources).resource ?? {};
  return Object.entries(resources[type] ?? {}).filter((entry): entry is [string, JsonRecord] => isRecord(entry[1]));
}

/** The objects of each kind, by model (its object list): every check asks again, and scanning every tenant's objects each time made the cluster layer quadratic. */
const byKindCache = new WeakMap<readonly KubernetesObject[], Map<string, KubernetesObject[]>>();

/** Objects of a kind, in every stack (a new array: the caller may change it). */
export function objectsOfKind(model: ClusterModel, ...kinds: string[]): KubernetesObject[] {
  let byKinds = byKindCache.get(model.objects);
  if (!byKinds) {
    byKinds = new Map();
    byKindCache.set(model.objects, byKinds);
  }
  const key = kinds.join('\u0000');
  let found = byKinds.get(key);
  if (!found) {
    found = model.objects.filter((o) => kinds.includes(String(o.object.kind)));
    byKinds.set(key, found);
  }
  return [...found];
}

function enforcement(stacks: readonly SynthStack[]): ClusterModel['networkPolicyEnforcement'] {
  const addons = stacks.flatMap((s) => resourcesOf(s, 'aws_eks_addon').map(([name, body]) => ({ address: `${s.name}: aws_eks_addon.${name}`, body })));
  const cni = addons.filter((a) => a.body.addon_name === 'vpc-cni');
  if (cni.length === 0) return { enforced: false, reason: 'no vpc-cni add-on in the synthesized output: nothing enforces NetworkPolicies' };
  const off = cni.filter((a) => !enforcesNetworkPolicies(a.body.configuration_values));
  if (off.length > 0)
    return { enforced: false, reason: `${off[0].address} leaves the network policy agent off (configuration_values lacks enableNetworkPolicy "true")` };
  return { enforced: true, reason: `${cni[0].address} runs the network policy agent` };
}

function podCidrs(stacks: readonly SynthStack[], problems: string[]): string[] {
  const cidrs: string[] = [];
  for (const stack of stacks) {
    const subnets = new Map(resourcesOf(stack, 'aws_subnet').map(([name, body]) => [name, body.cidr_block]));
    for (const [, cluster] of resourcesOf(stack, 'aws_eks_cluster')) {
      const ids: unknown[] = cluster.vpc_config?.subnet_ids ?? cluster.vpc_config?.[0]?.subnet_ids ?? [];
      for (const id of ids) {
        const match = /^\$\{aws_subnet\.([^.]+)\.id\}$/.exec(String(id));
        const cidr = match ? subnets.get(match[1]) : undefined;
        if (typeof cidr === 'string') cidrs.push(cidr);
        else
          problems.push(`${stack.name}: the cluster's subnet ${String(id)} has no CIDR in the synthesized output: the network layer cannot tell pod addresses`);
      }
    }
  }
  return cidrs;
}

export function readClusterModel(stacks: readonly SynthStack[]): ClusterModel {
  const problems: string[] = [];
  const objects: KubernetesObject[] = [];
  for (const stack of stacks) {
    try {
      objects.push(...kubernetesObjects(stack.name, stack.json as SynthesizedResources));
    } catch (error) {
      if (!(error instanceof KubernetesObjectError)) throw error;
      problems.push(error.message);
    }
  }
  const tenants: TenantInCluster[] = [];
  const withoutNamespace: string[] = [];
  for (const stack of stacks.filter((s) => s.name.startsWith(TENANT_STACK_PREFIX))) {
    const name = stack.name.slice(TENANT_STACK_PREFIX.length);
    const namespaces = objects.filter((o) => o.stack === stack.name && o.object.kind === 'Namespace');
    if (namespaces.length === 0) {
      withoutNamespace.push(name);
      continue;
    }
    if (namespaces.length > 1) problems.push(`${stack.name}: ${namespaces.length} namespaces; the proof expects one per tenant`);
    // The API server labels every namespace with its name; selectors may rely on it.
    const synthesized = namespaces[0].object as ApiObject;
    const namespaceName = String(synthesized.metadata?.name);
    const namespaceObject = {
      ...synthesized,
      metadata: { ...synthesized.metadata, labels: { ...synthesized.metadata?.labels, [NAMESPACE_NAME_LABEL]: namespaceName } },
    };
    const groups = resourcesOf(stack, 'aws_eks_access_entry').flatMap(([, body]) =>
      Array.isArray(body.kubernetes_groups) ? body.kubernetes_groups.map(String) : [],
    );
    tenants.push({ name, stack: stack.name, namespace: namespaceName, namespaceObject, groups });
  }
  return { tenants, objects, withoutNamespace, networkPolicyEnforcement: enforcement(stacks), podCidrs: podCidrs(stacks, problems), problems };
}
