/**
 * The in-cluster objects of a synthesized stack as Kubernetes API objects: `kubernetes_manifest`
 * objects as they are, typed resources (`kubernetes_namespace_v1`, ...) converted from the
 * provider's snake_case and singular block names to the API's fields. Used by the schema
 * validation of every object and by the cluster layer of the isolation proof, so both read
 * the objects the same way. A `kubernetes_*` type without a conversion is an error, never
 * skipped: an object nothing reads would be an object nothing checks.
 */
import { isRecord } from '../kernel/records';

/** The part of a synthesized stack (`cdk.tf.json`) this module reads. */
export interface SynthesizedResources {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface KubernetesObject {
  readonly stack: string;
  /** Terraform address, e.g. `kubernetes_namespace_v1.namespace_namespace_1A2B3C4D`. */
  readonly address: string;
  /** Construct path, for messages. */
  readonly path: string;
  readonly object: Readonly<Record<string, unknown>>;
}

export class KubernetesObjectError extends Error {}

interface TypedKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** Provider attributes that are top-level fields of the API object besides metadata and spec. */
  readonly topLevel?: readonly string[];
}

/** Every typed kubernetes resource the platform writes. A new one needs an entry here. */
export const TYPED_KINDS: Readonly<Record<string, TypedKind>> = {
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_resource_quota_v1: { apiVersion: 'v1', kind: 'ResourceQuota' },
  kubernetes_limit_range_v1: { apiVersion: 'v1', kind: 'LimitRange' },
  kubernetes_service_account_v1: { apiVersion: 'v1', kind: 'ServiceAccount', topLevel: ['automount_service_account_token', 'image_pull_secret', 'secret'] },
  kubernetes_network_policy_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  kubernetes_daemon_set_v1: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  kubernetes_priority_class_v1: {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    topLevel: ['value', 'description', 'global_default', 'preemption_policy'],
  },
  kubernetes_cluster_role_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', topLevel: ['rule', 'aggregation_rule'] },
  kubernetes_role_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', topLevel: ['rule'] },
  kubernetes_role_binding_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', topLevel: ['role_ref', 'subject'] },
  kubernetes_cluster_role_binding_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', topLevel: ['role_ref', 'subject'] },
  kubernetes_storage_class_v1: {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    topLevel: ['storage_provisioner', 'parameters', 'reclaim_policy', 'volume_binding_mode', 'allow_volume_expansion', 'mount_options', 'allowed_topologies'],
  },
};

export const MANIFEST_TYPE = 'kubernetes_manifest';

/** Provider block names that are not the camelCase of the API field (repeated blocks are singular). */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  toleration: 'tolerations',
  container: 'containers',
  init_container: 'initContainers',
  volume: 'volumes',
  volume_mount: 'volumeMounts',
  node_selector_term: 'nodeSelectorTerms',
  match_expression: 'matchExpressions',
  limit: 'limits',
  rule: 'rules',
  subject: 'subjects',
  image_pull_secret: 'imagePullSecrets',
  secret: 'secrets',
  port: 'ports',
  storage_provisioner: 'provisioner',
};

/** Attributes whose value is a map of user keys (labels, quantities): kept verbatim. */
const MAP_FIELDS = new Set([
  'labels',
  'annotations',
  'match_labels',
  'hard',
  'node_selector',
  'default',
  'default_request',
  'max',
  'min',
  'limits',
  'requests',
  'data',
  'max_limit_request_ratio',
  'parameters',
]);

/** Provider settings that are not part of the object. */
const PROVIDER_ONLY = new Set([
  '//',
  'depends_on',
  'lifecycle',
  'provider',
  'count',
  'for_each',
  'timeouts',
  'wait_for_rollout',
  'wait_for_default_service_account',
  'wait_for_load_balancer',
]);

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `${kubernetes_x.id.metadata[0].name}`: the name of another object of the stack. */
const NAME_REFERENCE = /^\$\{(kubernetes_[a-z0-9_]+)\.([^.}]+)\.metadata\[0\]\.name\}$/;

/** A map of user keys (MAP_FIELDS), kept verbatim: only its string values may name another object. */
function userMap(value: Readonly<Record<string, unknown>>, resolveName: (text: string) => string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? resolveName(v) : v]));
}

function convert(value: unknown, resolveName: (text: string) => string, parentKey: string): unknown {
  if (typeof value === 'string') {
    const named = resolveName(value);
    // Ports are IntOrString: the provider sends a numeric string as a number.
    return parentKey === 'port' && /^\d+$/.test(named) ? Number(named) : named;
  }
  if (Array.isArray(value)) return value.map((v) => convert(v, resolveName, parentKey));
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (PROVIDER_ONLY.has(key)) continue;
    if (MAP_FIELDS.has(key) && isRecord(inner)) {
      result[camel(key)] = userMap(inner, resolveName);
      continue;
    }
    // A container's `port` block is `ports`; a network policy port's `port` is a field.
    const name = key === 'port' && !Array.isArray(inner) ? 'port' : (FIELD_NAMES[key] ?? camel(key));
    result[name] = convert(inner, resolveName, key);
  }
  return result;
}

/** A manifest is an API object already: only references to other objects' names are resolved. */
function resolveNames(value: unknown, resolveName: (text: string) => string): unknown {
  if (typeof value === 'string') return resolveName(value);
  if (Array.isArray(value)) return value.map((v) => resolveNames(v, resolveName));
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveNames(v, resolveName)]));
}

function pathOf(body: unknown): string {
  const meta = isRecord(body) ? body['//'] : undefined;
  const metadata = isRecord(meta) ? meta.metadata : undefined;
  return isRecord(metadata) && typeof metadata.path === 'string' ? metadata.path : '';
}

/** Every in-cluster object of one synthesized stack. */
export function kubernetesObjects(stack: string, synthesized: SynthesizedResources): KubernetesObject[] {
  const resources = synthesized.resource ?? {};
  const resolveName = (text: string): string => {
    const match = NAME_REFERENCE.exec(text);
    if (!match) return text;
    const target = resources[match[1]]?.[match[2]];
    const metadata = isRecord(target) ? target.metadata : undefined;
    const name = isRecord(metadata) ? metadata.name : undefined;
    return typeof name === 'string' ? name : text;
  };
  const objects: KubernetesObject[] = [];
  for (const [type, byName] of Object.entries(resources)) {
    if (!type.startsWith('kubernetes_')) continue;
    for (const [name, body] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      const path = pathOf(body);
      if (!isRecord(body)) throw new KubernetesObjectError(`${stack}: ${address} is not an object`);
      if (type === MANIFEST_TYPE) {
        if (!isRecord(body.manifest)) throw new KubernetesObjectError(`${stack}: ${address} (${path}) has no manifest object`);
        objects.push({ stack, address, path, object: resolveNames(body.manifest, resolveName) as Record<string, unknown> });
        continue;
      }
      const kind = TYPED_KINDS[type];
      if (!kind) {
        throw new KubernetesObjectError(
          `${stack}: ${address} (${path}): no conversion of '${type}' to a Kubernetes API object; add it to TYPED_KINDS in stacks/kubernetes-objects.ts so the object is validated`,
        );
      }
      const object: Record<string, unknown> = { apiVersion: kind.apiVersion, kind: kind.kind };
      for (const [key, inner] of Object.entries(body)) {
        if (PROVIDER_ONLY.has(key)) continue;
        const field = key === 'metadata' || key === 'spec' || kind.topLevel?.includes(key) ? (FIELD_NAMES[key] ?? camel(key)) : undefined;
        if (field === undefined)
          throw new KubernetesObjectError(
            `${stack}: ${address} (${path}): attribute '${key}' of ${type} has no place in the API object; list it in TYPED_KINDS`,
          );
        // A top-level map (a StorageClass's parameters) keeps its keys, like a nested one.
        object[field] = MAP_FIELDS.has(key) && isRecord(inner) ? userMap(inner, resolveName) : convert(inner, resolveName, key);
      }
      objects.push({ stack, address, path, object });
    }
  }
  return objects;
}
