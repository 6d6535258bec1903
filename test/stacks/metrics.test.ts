/**
 * GPU and workload metrics as the platform deploys them, on the synthesized samples: the
 * CloudWatch Observability add-on at its pinned version, its agent (and only it) allowed to
 * write metrics through its own Pod Identity role, container logs off, and its namespace one
 * no tenant can take.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { isReservedTenantName } from '../../config/names';
import { CLOUDWATCH_AGENT_SERVICE_ACCOUNT, CLOUDWATCH_OBSERVABILITY_ADDON } from '../../constructs/cluster/cloudwatch-observability';
import { bodies, single, synthPlatform, type Synthesized } from '../support/synth';

describe('metrics in the synthesized platform', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthPlatform();
  });
  afterAll(() => rmSync(path.dirname(synth.outdir), { recursive: true, force: true }));

  test('the CloudWatch Observability add-on runs at the pinned version, metrics only, with its own role through Pod Identity', () => {
    const addon = bodies(synth.stacks.shared, 'aws_eks_addon').find((a) => a.addon_name === CLOUDWATCH_OBSERVABILITY_ADDON)!;
    expect(addon.addon_version).toBe('v4.1.0-eksbuild.1');
    expect(JSON.parse(addon.configuration_values)).toEqual({ containerLogs: { enabled: false } });
    expect(addon.pod_identity_association).toEqual([
      { role_arn: expect.stringMatching(/aws_iam_role\.cloudwatch-observability_role/), service_account: CLOUDWATCH_AGENT_SERVICE_ACCOUNT },
    ]);
    expect(String(single(synth.stacks.shared, 'aws_iam_role', 'cloudwatch-observability').assume_role_policy)).toContain('pods.eks.amazonaws.com');
  });

  test('only the agent role may write metrics: no node role, shared or tenant, carries the agent policy', () => {
    const holders = Object.entries(synth.stacks).flatMap(([name, stack]) =>
      bodies(stack, 'aws_iam_role_policy_attachment')
        .filter((a) => String(a.policy_arn).endsWith('/CloudWatchAgentServerPolicy'))
        .map((a) => `${name}: ${a['//'].metadata.path}`),
    );
    expect(holders).toEqual(['shared: shared/cloudwatch-observability/role/policy-CloudWatchAgentServerPolicy']);
  });

  test("the add-on's namespace is a platform namespace no tenant can take", () => {
    expect(isReservedTenantName('amazon-cloudwatch')).toBe(true);
    expect(isReservedTenantName('kueue-system')).toBe(true);
  });
});
