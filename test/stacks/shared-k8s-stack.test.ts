import { readdirSync } from 'node:fs';
import { SAMPLE_TENANTS_DIR } from '../support/config-fixtures';
import { bodies, single, synthPlatform, type StackJson } from '../support/synth';

describe('shared-k8s stack', () => {
  let k8s: StackJson;
  beforeAll(() => {
    k8s = synthPlatform().stacks['shared-k8s'];
  });

  test('runs the NVIDIA device plugin on GPU nodes, tolerating every taint', () => {
    const plugin = single(k8s, 'kubernetes_daemon_set_v1');
    const spec = plugin.spec.template.spec;
    expect(spec.toleration).toEqual([{ operator: 'Exists' }]);
    expect(spec.container[0].image).toMatch(/^nvcr\.io\/nvidia\/k8s-device-plugin:v/);
    expect(spec.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term[0].match_expressions[0]).toEqual({
      key: 'ml-platform/gpu',
      operator: 'In',
      values: ['true'],
    });
  });

  test('binds every admission policy to every tenant namespace by its tenant label, denying, and failing closed', () => {
    const manifests = bodies(k8s, 'kubernetes_manifest').map((m) => m.manifest);
    const policies = manifests.filter((m) => m.kind === 'ValidatingAdmissionPolicy');
    const bindings = manifests.filter((m) => m.kind === 'ValidatingAdmissionPolicyBinding');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'ml-platform-managed-objects',
      'ml-platform-tenant-pod-placement',
      'ml-platform-tenant-queued-jobs',
      'ml-platform-tenant-services',
      'ml-platform-tenant-volume-claims',
    ]);
    for (const policy of policies) expect(policy.spec.failurePolicy).toBe('Fail');
    expect(bindings.map((b) => b.spec.policyName).sort()).toEqual(policies.map((p) => p.metadata.name).sort());
    for (const binding of bindings) {
      expect(binding.spec.validationActions).toEqual(['Deny']);
      expect(binding.spec.matchResources.namespaceSelector).toEqual({ matchExpressions: [{ key: 'tenant', operator: 'Exists' }] });
    }
  });

  test('names no tenant: adding a tenant changes nothing cluster-wide', () => {
    const tenants = readdirSync(SAMPLE_TENANTS_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    expect(tenants).toHaveLength(3);
    const text = JSON.stringify(k8s);
    expect(tenants.filter((tenant) => text.includes(tenant))).toEqual([]);
  });

  test('gives tenant people a ClusterRole without RBAC writes, quota or limit writes, or endpoints writes', () => {
    const role = single(k8s, 'kubernetes_cluster_role_v1');
    expect(role.metadata.name).toBe('ml-platform:tenant-edit');
    const writable = role.rule
      .filter((r: { verbs: string[] }) => r.verbs.some((v) => ['create', 'update', 'patch', 'delete'].includes(v)))
      .flatMap((r: { resources: string[] }) => r.resources);
    expect(writable).toContain('pods');
    for (const resource of ['roles', 'rolebindings', 'resourcequotas', 'limitranges', 'endpoints', 'endpointslices', 'namespaces', 'pods/ephemeralcontainers'])
      expect(writable).not.toContain(resource);
  });

  test('hands GPUs to containers as volume mounts, not through NVIDIA_VISIBLE_DEVICES', () => {
    const env = single(k8s, 'kubernetes_daemon_set_v1').spec.template.spec.container[0].env;
    expect(env).toContainEqual({ name: 'DEVICE_LIST_STRATEGY', value: 'volume-mounts' });
  });

  test("lets the node's toolkit hand the plugin itself every GPU (CAP_SYS_ADMIN), and no other capability", () => {
    // The toolkit honours NVIDIA_VISIBLE_DEVICES (the plugin image's `all`) only for a container
    // whose bounding set holds CAP_SYS_ADMIN (nvidia-container-toolkit, internal/config/image/privileged.go);
    // the container runtime starts from its default set, emptied by a drop of ALL, then adds.
    const RUNTIME_DEFAULT = [
      'CHOWN',
      'DAC_OVERRIDE',
      'FSETID',
      'FOWNER',
      'MKNOD',
      'NET_RAW',
      'SETGID',
      'SETUID',
      'SETFCAP',
      'SETPCAP',
      'NET_BIND_SERVICE',
      'SYS_CHROOT',
      'KILL',
      'AUDIT_WRITE',
    ];
    const bounding = (sc: { capabilities?: { add?: string[]; drop?: string[] } } | undefined) => {
      const caps = sc?.capabilities ?? {};
      const start = caps.drop?.includes('ALL') ? [] : RUNTIME_DEFAULT.filter((c) => !caps.drop?.includes(c));
      return [...start, ...(caps.add ?? [])].map((c) => `CAP_${c}`);
    };
    const toolkitHandsEveryGpu = (sc: Parameters<typeof bounding>[0]) => bounding(sc).includes('CAP_SYS_ADMIN');

    const container = single(k8s, 'kubernetes_daemon_set_v1').spec.template.spec.container[0];
    expect(toolkitHandsEveryGpu(container.security_context)).toBe(true);
    expect(bounding(container.security_context)).toEqual(['CAP_SYS_ADMIN']);
    expect(container.security_context.allow_privilege_escalation).toBeUndefined(); // the API refuses false beside CAP_SYS_ADMIN
    // A tenant container as admission requires it (drop ALL) gets no GPU through the variable.
    expect(toolkitHandsEveryGpu({ capabilities: { drop: ['ALL'] } })).toBe(false);
    expect(toolkitHandsEveryGpu(undefined)).toBe(false);
  });

  test('defines priority classes for inference above training', () => {
    const classes = Object.fromEntries(bodies(k8s, 'kubernetes_priority_class_v1').map((c) => [c.metadata.name, c.value]));
    expect(classes['ml-inference']).toBeGreaterThan(classes['ml-training']);
  });

  test('reads the cluster from the shared stack and authenticates with aws eks get-token', () => {
    const [provider] = k8s.provider!.kubernetes;
    expect(provider.host).toMatch(/data\.terraform_remote_state\.cross-stack-reference-input-shared\.outputs\./);
    expect(provider.exec).toEqual([expect.objectContaining({ command: 'aws', args: expect.arrayContaining(['eks', 'get-token']) })]);
    expect(provider).not.toHaveProperty('token');
  });
});
