import { kubernetesObjects, KubernetesObjectError } from '../../stacks/kubernetes-objects';

const meta = (path: string) => ({ '//': { metadata: { path, uniqueId: path } } });

describe('kubernetesObjects', () => {
  const stack = {
    resource: {
      kubernetes_namespace_v1: {
        ns: { ...meta('t/ns'), metadata: { name: 'alpha', labels: { tenant: 'alpha', 'pod-security.kubernetes.io/enforce': 'restricted' } } },
      },
      kubernetes_network_policy_v1: {
        dns: {
          ...meta('t/dns'),
          metadata: { name: 'allow-cluster-dns', namespace: '${kubernetes_namespace_v1.ns.metadata[0].name}' },
          spec: { pod_selector: { match_labels: {} }, policy_types: ['Egress'], egress: [{ ports: [{ port: '53', protocol: 'UDP' }] }] },
        },
      },
      kubernetes_role_binding_v1: {
        rb: {
          ...meta('t/rb'),
          metadata: { name: 'tenant-people', namespace: '${kubernetes_namespace_v1.ns.metadata[0].name}' },
          role_ref: { api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
          subject: [{ kind: 'Group', name: 'g', api_group: 'rbac.authorization.k8s.io' }],
        },
      },
      kubernetes_manifest: { vap: { ...meta('t/vap'), manifest: { apiVersion: 'x/v1', kind: 'K', spec: { some_field: 1 } } } },
      aws_s3_bucket: { b: { bucket: 'not-kubernetes' } },
    },
  };

  test('converts typed resources to API objects: kinds, camelCase fields, plural blocks, map keys kept, names resolved, ports as numbers', () => {
    const objects = Object.fromEntries(kubernetesObjects('t', stack).map((o) => [o.address, o.object]));
    expect(Object.keys(objects).sort()).toEqual([
      'kubernetes_manifest.vap',
      'kubernetes_namespace_v1.ns',
      'kubernetes_network_policy_v1.dns',
      'kubernetes_role_binding_v1.rb',
    ]);
    expect(objects['kubernetes_namespace_v1.ns']).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'alpha', labels: { tenant: 'alpha', 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    expect(objects['kubernetes_network_policy_v1.dns']).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-cluster-dns', namespace: 'alpha' },
      spec: { podSelector: { matchLabels: {} }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] },
    });
    expect(objects['kubernetes_role_binding_v1.rb']).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'g', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    // Manifests are API objects already: their keys are not rewritten.
    expect(objects['kubernetes_manifest.vap']).toEqual({ apiVersion: 'x/v1', kind: 'K', spec: { some_field: 1 } });
  });

  test("keeps the keys of a top-level map (a StorageClass's parameters) as written", () => {
    const [storageClass] = kubernetesObjects('t', {
      resource: {
        kubernetes_storage_class_v1: {
          sc: {
            ...meta('t/sc'),
            metadata: { name: 'a.gp3' },
            storage_provisioner: 'ebs.csi.aws.com',
            parameters: { kmsKeyId: 'k', tagSpecification_1: 'tenant=a' },
          },
        },
      },
    });
    expect(storageClass.object).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'a.gp3' },
      provisioner: 'ebs.csi.aws.com',
      parameters: { kmsKeyId: 'k', tagSpecification_1: 'tenant=a' },
    });
  });

  test('fails naming the type and the fix for a kubernetes resource type it cannot convert', () => {
    const unknown = { resource: { kubernetes_ingress_v1: { i: { ...meta('t/ingress'), metadata: { name: 'i' } } } } };
    expect(() => kubernetesObjects('t', unknown)).toThrow(KubernetesObjectError);
    expect(() => kubernetesObjects('t', unknown)).toThrow(/kubernetes_ingress_v1.*add it to TYPED_KINDS/);
  });

  test('fails on an attribute it does not know where to put, instead of dropping it', () => {
    const odd = { resource: { kubernetes_namespace_v1: { ns: { metadata: { name: 'a' }, wait_for_something: true } } } };
    expect(() => kubernetesObjects('t', odd)).toThrow(/attribute 'wait_for_something'/);
  });
});
