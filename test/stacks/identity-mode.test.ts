/**
 * One synthesized output, two identities: every provider of every stack (AWS assume_role,
 * and the role the kubernetes and helm providers take a cluster token for) evaluated under
 * `mode = plan` names only planner roles, and under `mode = deploy` no planner at all. An
 * unset mode plans: the default is the read-only identity.
 */
import { bodies, synthPlatform, underMode, type StackJson } from '../support/synth';

/** Every role ARN text a stack's providers assume. */
function providerRoles(stack: StackJson): string[] {
  const found: string[] = [];
  for (const aws of stack.provider?.aws ?? []) for (const role of (aws.assume_role as { role_arn: string }[] | undefined) ?? []) found.push(role.role_arn);
  const execArgs = (exec: unknown): string[] => {
    const args = ((Array.isArray(exec) ? exec[0] : exec) as { args?: string[] } | undefined)?.args ?? [];
    const i = args.indexOf('--role-arn');
    return i >= 0 ? [args[i + 1]] : [];
  };
  for (const k8s of stack.provider?.kubernetes ?? []) found.push(...execArgs(k8s.exec));
  for (const helm of stack.provider?.helm ?? []) found.push(...execArgs((helm.kubernetes as { exec?: unknown } | undefined)?.exec));
  return found;
}

describe('the identity mode', () => {
  const { stacks } = synthPlatform();
  const names = Object.keys(stacks);

  test('reaches every stack, and every stack declares it defaulting to plan', () => {
    expect(names).toEqual(expect.arrayContaining(['organization', 'shared', 'shared-k8s', 'shared-pools', 'account-analytics', 'tenant-analytics']));
    for (const name of names) {
      expect(providerRoles(stacks[name]).length).toBeGreaterThan(0);
      expect((stacks[name] as { variable?: Record<string, { default?: string }> }).variable?.mode?.default).toBe('plan');
    }
  });

  test.each(names.map((n) => [n]))('%s: plan assumes only planner roles, deploy none', (name) => {
    const roles = providerRoles(stacks[name]);
    for (const role of roles) {
      expect(underMode(role, 'plan')).toMatch(/^arn:aws:iam::(\d{12}|<remote>|<unknown>):role\/mlp-([a-z0-9-]+-)?planner$/);
      expect(underMode(role, 'deploy')).not.toMatch(/planner/);
    }
  });

  test('the cluster providers deploy with the platform deployer (an admin access entry) and plan with the planner', () => {
    const [k8s] = providerRoles(stacks['shared-k8s']).slice(-1);
    expect(underMode(k8s, 'deploy')).toBe('arn:aws:iam::222222222222:role/mlp-deployer');
  });

  test('the planner may read the cluster but is never a cluster admin; Secrets only where Helm keeps release records', () => {
    const planner = 'arn:aws:iam::222222222222:role/mlp-planner';
    const associations = bodies(stacks.shared, 'aws_eks_access_policy_association').filter((a) => a.principal_arn === planner);
    expect(associations.map((a) => [a.policy_arn.split('/').pop(), a.access_scope]).sort()).toEqual([
      ['AmazonEKSAdminViewPolicy', { type: 'namespace', namespaces: ['karpenter', 'kueue-system'] }],
      ['AmazonEKSViewPolicy', { type: 'cluster' }],
    ]);
    expect(bodies(stacks.shared, 'aws_eks_access_entry').filter((e) => e.principal_arn === planner)).toHaveLength(1);
  });
});
