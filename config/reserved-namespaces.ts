/**
 * Namespaces a tenant may never take. A tenant's namespace is its name (renaming every
 * namespace would replace every tenant's namespace in state), so the platform's present
 * and future namespaces are kept out of the tenant name space instead:
 *
 * - the namespaces the ecosystem's usual add-ons install into, by exact name;
 * - prefixes and one suffix that whole families of add-ons use (`kube-*`, `istio-*`,
 *   `*-system`, ...);
 * - the platform's own prefix `<platform name>-`: any namespace the platform adds later is
 *   named that way unless it is on these lists (a test checks every namespace in the
 *   synthesized output against them).
 */

/** Namespaces of common Kubernetes add-ons and of AWS and EKS components, exact names. */
export const ECOSYSTEM_NAMESPACES: readonly string[] = [
  'default',
  'amazon-cloudwatch',
  'amazon-guardduty',
  'argo',
  'argocd',
  'argo-rollouts',
  'argo-workflows',
  'cert-manager',
  'cilium',
  'cluster-autoscaler',
  'crossplane',
  'external-dns',
  'external-secrets',
  'falco',
  'fluent-bit',
  'gatekeeper',
  'grafana',
  'harbor',
  'ingress',
  'ingress-nginx',
  'jaeger',
  'jupyterhub',
  'karpenter',
  'keda',
  'kserve',
  'kuberay',
  'kubecost',
  'kubeflow',
  'kueue',
  'kyverno',
  'logging',
  'loki',
  'metrics-server',
  'mlflow',
  'monitoring',
  'nvidia-device-plugin',
  'observability',
  'opencost',
  'opentelemetry',
  'prometheus',
  'ray',
  'tempo',
  'trivy',
  'vault',
  'velero',
  'volcano',
];

/** Prefixes of add-on families and cloud components; a tenant name may not start with one. */
export const RESERVED_NAMESPACE_PREFIXES: readonly string[] = [
  'kube-',
  'aws-',
  'eks-',
  'amazon-',
  'argo-',
  'calico-',
  'cert-manager-',
  'cilium-',
  'flux-',
  'gatekeeper-',
  'gpu-operator',
  'istio-',
  'karpenter-',
  'knative-',
  'kubeflow-',
  'kyverno-',
  'linkerd',
  'monitoring-',
  'nvidia-',
  'openshift-',
  'opentelemetry-',
  'prometheus-',
  'tigera-',
];

/** Suffixes add-ons conventionally use for their namespaces (`gatekeeper-system`, `kueue-system`). */
export const RESERVED_NAMESPACE_SUFFIXES: readonly string[] = ['-system'];

/** Why `name` is reserved as a namespace, or undefined when a tenant may use it. */
export function namespaceReservation(name: string, platformName?: string): string | undefined {
  if (ECOSYSTEM_NAMESPACES.includes(name)) return `'${name}' is a namespace that Kubernetes add-ons install into`;
  const prefix = RESERVED_NAMESPACE_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) return `names starting with '${prefix}' are reserved for Kubernetes, AWS and add-on namespaces`;
  const suffix = RESERVED_NAMESPACE_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix !== undefined) return `names ending in '${suffix}' are reserved for add-on namespaces`;
  if (platformName !== undefined && (name === platformName || name.startsWith(`${platformName}-`))) {
    return `names starting with '${platformName}-' (the platform name) are reserved for the platform's own namespaces`;
  }
  return undefined;
}
