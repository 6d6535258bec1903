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
