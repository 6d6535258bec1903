import { evaluate } from '../../../proof/cluster/cel';
import { TENANT_ADMISSION_POLICIES } from '../../../constructs/cluster/tenant-admission';

describe('CEL evaluation of admission rules', () => {
  test('returns values for core CEL over plain objects', () => {
    expect(
      evaluate("object.spec.tolerations.all(t, has(t.key) && t.key.startsWith('ten'))", { object: { spec: { tolerations: [{ key: 'tenant' }] } } }),
    ).toEqual({ kind: 'value', value: true });
    expect(evaluate("namespaceObject.metadata.labels['tenant'] == 'a'", { namespaceObject: { metadata: { labels: { tenant: 'b' } } } })).toEqual({
      kind: 'value',
      value: false,
    });
  });

  test('reports a missing field as an error, never as false', () => {
    expect(evaluate("object.spec.nodeName == ''", { object: { spec: {} } })).toMatchObject({ kind: 'error' });
  });

  test('reports Kubernetes CEL extensions the evaluator lacks (optional fields) as errors, so the policies avoid them', () => {
    expect(evaluate('object.?spec.orValue(1) == 1', { object: {} })).toMatchObject({ kind: 'error' });
    const expressions = TENANT_ADMISSION_POLICIES.flatMap((p) => p.validations.map((v) => v.expression));
    expect(expressions.length).toBeGreaterThan(8);
    expect(expressions.filter((e) => e.includes('.?') || /\b(quantity|isQuantity|url|isURL|matches|format)\(/.test(e))).toEqual([]);
  });
});
