/**
 * The platform's Pod Security convention: every tenant namespace carries these labels, so
 * Kubernetes' built-in Pod Security admission enforces the `restricted` profile there. The
 * TenantNamespace construct writes them (test/stacks/tenant-stack.test.ts checks it; no
 * guardrail rule does); platform namespaces (kube-system) keep the cluster default.
 */
export const POD_SECURITY_LEVEL = 'restricted';

export const POD_SECURITY_LABELS: Readonly<Record<string, string>> = {
  'pod-security.kubernetes.io/enforce': POD_SECURITY_LEVEL,
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/audit': POD_SECURITY_LEVEL,
  'pod-security.kubernetes.io/warn': POD_SECURITY_LEVEL,
};

/** Label that marks GPU nodes; the device plugin runs only there. */
export const GPU_NODE_LABEL = { key: 'ml-platform/gpu', value: 'true' } as const;
