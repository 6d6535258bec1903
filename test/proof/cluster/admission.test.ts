import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { admit } from '../../../proof/cluster/admission';
import { legitimateRequest } from '../../../proof/cluster/attacks';
import { readClusterModel, type ClusterModel } from '../../../proof/cluster/cluster-model';
import { readSynthDir } from '../../../proof/resolve';
import { SAMPLE_TENANTS_DIR, synthInto } from '../plant';

describe('admission of tenant pods by the synthesized policies', () => {
  let dir: string;
  let model: ClusterModel;
  beforeAll(() => {
    dir = synthInto(SAMPLE_TENANTS_DIR);
    model = readClusterModel(readSynthDir(dir));
  });
  afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  const withAffinity = (values: string[]) => {
    const [a] = model.tenants;
    const request = legitimateRequest(a);
    const spec = {
      ...request.object!.spec,
      nodeSelector: undefined,
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'tenant', operator: 'In', values }] }] },
        },
      },
    };
    delete spec.nodeSelector;
    return admit(model, { ...request, object: { ...request.object!, spec } });
  };

  test('admits node affinity on the own tenant, and denies it when it also names another tenant', () => {
    const [a, b] = model.tenants;
    expect(withAffinity([a.name])).toEqual({ allowed: true, denials: [] });
    expect(withAffinity([a.name, b.name]).denials).toEqual([
      expect.stringContaining("node affinity on the tenant label must be 'In' the namespace's own tenant"),
    ]);
  });

  test('lets a pod update pass once the scheduler has set its node name (only creation may not name a node)', () => {
    const [a] = model.tenants;
    const created = legitimateRequest(a);
    const scheduled = { ...created.object!, spec: { ...created.object!.spec, nodeName: 'ip-10-40-0-10.ec2.internal' } };
    expect(admit(model, { ...created, operation: 'UPDATE', object: scheduled, oldObject: scheduled }).allowed).toBe(true);
    expect(admit(model, { ...created, object: scheduled }).allowed).toBe(false);
  });

  test('lets the platform (not a tenant identity) change the objects it manages in a tenant namespace', () => {
    const [a] = model.tenants;
    const policy = model.objects.find(
      (o) => o.object.kind === 'NetworkPolicy' && (o.object.metadata as { namespace?: string }).namespace === a.namespace,
    )!.object;
    const resource = { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' };
    const request = { operation: 'DELETE' as const, resource, namespaceObject: a.namespaceObject, object: null, oldObject: policy };
    expect(
      admit(model, { ...request, userInfo: { username: 'arn:aws:sts::222222222222:assumed-role/mlp-deployer/terraform', groups: ['system:authenticated'] } })
        .allowed,
    ).toBe(true);
    expect(admit(model, { ...request, userInfo: { username: 'x', groups: [`ml-platform:tenant:${a.name}`] } }).allowed).toBe(false);
    expect(admit(model, { ...request, userInfo: { username: `system:serviceaccount:${a.namespace}:${a.name}-workload`, groups: [] } }).allowed).toBe(false);
  });
});
