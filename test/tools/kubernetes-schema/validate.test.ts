import { rmSync } from 'node:fs';
import * as path from 'node:path';
import type { KubernetesObject } from '../../../stacks/kubernetes-objects';
import { formatProblem, validateObjects, validateStacks } from '../../../tools/kubernetes-schema/validate';
import { tempDir } from '../../support/config-fixtures';
import { synthPlatform, type Synthesized } from '../../support/synth';
import { generateTenants } from '../../support/tenant-generator';

const entry = (object: Record<string, unknown>): KubernetesObject => ({ stack: 's', address: 'kubernetes_manifest.x', path: 's/x', object });
const stacksOf = (s: Synthesized) => Object.entries(s.stacks).map(([name, config]) => ({ name, config }));

describe('schema validation of in-cluster objects', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const synth = (tenantsDir?: string) => {
    const s = synthPlatform(tenantsDir);
    dirs.push(path.dirname(s.outdir));
    return s;
  };

  test('every in-cluster object of the samples is valid against the API schemas, every kind the platform writes among them', async () => {
    const result = await validateStacks(stacksOf(synth()), '1.32');
    expect(result.problems.map(formatProblem)).toEqual([]);
    const kinds = new Set(result.validated.map((o) => o.object.kind));
    for (const kind of [
      'Namespace',
      'ResourceQuota',
      'LimitRange',
      'ServiceAccount',
      'NetworkPolicy',
      'RoleBinding',
      'ClusterRole',
      'DaemonSet',
      'PriorityClass',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
      'ResourceFlavor',
      'ClusterQueue',
      'LocalQueue',
      'StorageClass',
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  test('so is every object of 20 generated tenants', async () => {
    const dir = tempDir('mlp-k8s-schema-');
    dirs.push(dir);
    generateTenants(20, dir);
    const result = await validateStacks(stacksOf(synth(dir)), '1.32');
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.validated.filter((o) => o.object.kind === 'Namespace').length).toBeGreaterThanOrEqual(20);
  });

  test('reports an object that breaks the schema, naming the stack, address, object and field', async () => {
    const broken = entry({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'a' },
      spec: { podSelector: {}, policyTypes: 'Ingress' },
    });
    const result = await validateObjects([broken], 32);
    expect(result.validated).toEqual([]);
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^s: kubernetes_manifest\.x \(s\/x\), networking\.k8s\.io\/v1 NetworkPolicy a\/p: .*policyTypes/),
    ]);
  });

  test('reports a binding without its policy name and a DaemonSet without its selector', async () => {
    const binding = entry({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'b' },
      spec: { validationActions: 'Deny' },
    });
    const daemonSet = entry({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template: {} } });
    const result = await validateObjects([binding, daemonSet], 32);
    expect(result.problems.map((p) => p.kind)).toEqual(['admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding', 'apps/v1 DaemonSet']);
  });

  test('reports a kind the cluster version does not serve, and an API version it does not know', async () => {
    const policy = entry({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'p' }, spec: {} });
    const unknown = entry({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' } });
    const result = await validateObjects([policy, unknown], 29);
    expect(result.problems.map((p) => p.problem)).toEqual([
      'admissionregistration.k8s.io/v1 is served from Kubernetes 1.30; the cluster runs 1.29',
      expect.stringContaining("API version 'example.com/v1' is not one the platform validates"),
    ]);
  });

  test('validates Karpenter kinds with the Karpenter models', async () => {
    const pool = entry({ apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'p' }, spec: { template: { spec: {} } } });
    const result = await validateObjects([pool], 32);
    expect(result.problems.map((p) => p.problem)).toEqual([expect.stringContaining('nodeClassRef')]);
  });
});
