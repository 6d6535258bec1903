/**
 * GPU and workload metrics as the platform deploys them, on the synthesized samples: the
 * CloudWatch Observability add-on at its pinned version, its agent (and only it) allowed to
 * write metrics through its own Pod Identity role, container logs off, and its namespace one
 * no tenant can take.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { isReservedTenantName, TENANT_STACK_PREFIX } from '../../config/names';
import { CLOUDWATCH_AGENT_SERVICE_ACCOUNT, CLOUDWATCH_OBSERVABILITY_ADDON } from '../../constructs/cluster/cloudwatch-observability';
import { exportDefinition } from '../../constructs/shared/metrics-export-definition';
import { TenantMetricsWriterRole } from '../../constructs/tenant/tenant-metrics-writer-role';
import { evaluateTemplate, formatReference } from '../../kernel/hcl';
import { bodies, resourcesOf, single, synthPlatform, type Synthesized } from '../support/synth';

/** A rendered policy (`${jsonencode(...)}`) as a document; references read as `<address>`. */
function policyOf(text: unknown): { Statement: Record<string, any>[] } {
  return JSON.parse(String(evaluateTemplate(String(text), { reference: (r) => `<${formatReference(r)}>` })));
}

const PLATFORM_ACCOUNT = '222222222222';
const REGION = 'us-east-1';

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

  test('the shared stack runs one Express export, with the definition the JSONata tests run, logging errors only', () => {
    const machine = single(synth.stacks.shared, 'aws_sfn_state_machine');
    expect(machine.type).toBe('EXPRESS');
    expect(JSON.parse(machine.definition)).toEqual(
      exportDefinition({ clusterName: 'mlp-shared', tenantNamespace: 'mlp/ContainerInsights', platformName: 'mlp' }),
    );
    expect(machine.logging_configuration).toMatchObject({ level: 'ERROR', include_execution_data: false });
  });

  test("every tenant's schedule starts the shared export with the shared scheduler role, naming its own namespace and its own writer role, which trusts only the exporter", () => {
    const shared = synth.stacks.shared;
    const machine = single(shared, 'aws_sfn_state_machine');
    const machineArn = `arn:aws:states:${REGION}:${PLATFORM_ACCOUNT}:stateMachine:${machine.name}`;
    const exporter = single(shared, 'aws_iam_role', 'tenant-metrics-exporter/exporter-role');
    const scheduler = single(shared, 'aws_iam_role', 'tenant-metrics-exporter/scheduler-role');
    expect(machine.role_arn).toMatch(/^\$\{aws_iam_role\.tenant-metrics-exporter_exporter-role_[0-9A-F]+\.arn\}$/);
    expect(policyOf(exporter.assume_role_policy).Statement[0].Condition.ArnLike['aws:SourceArn']).toBe(machineArn);
    expect(policyOf(scheduler.inline_policy[0].policy).Statement).toEqual([expect.objectContaining({ Action: 'states:StartExecution', Resource: machineArn })]);
    const assumable = policyOf(exporter.inline_policy[0].policy).Statement.find((st) => st.Action === 'sts:AssumeRole')?.Resource as string;
    const assumablePattern = new RegExp(`^${assumable.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^:]*')}$`);

    const tenants = Object.keys(synth.stacks).filter((name) => name.startsWith(TENANT_STACK_PREFIX));
    expect(tenants).toHaveLength(3);
    for (const stackName of tenants) {
      const tenant = stackName.slice(TENANT_STACK_PREFIX.length);
      const stack = synth.stacks[stackName];
      const schedule = single(stack, 'aws_scheduler_schedule');
      expect(schedule.provider).toBe('aws.platform');
      expect(schedule.target.arn).toBe(machineArn);
      expect(schedule.target.role_arn).toBe(`arn:aws:iam::${PLATFORM_ACCOUNT}:role/${scheduler.name}`);
      const input = JSON.parse(schedule.target.input);
      expect(input.namespace).toBe(tenant);
      const [writerId, writer] = resourcesOf(stack, 'aws_iam_role').find(([, r]) => r.name === `mlp-${tenant}-metrics-writer`) ?? [];
      expect(input.writerRoleArn).toBe(`\${aws_iam_role.${writerId}.arn}`);
      // The tenant account's default provider, and a name the exporter may assume.
      expect(writer?.provider).toBeUndefined();
      expect(`arn:aws:iam::${'1'.repeat(12)}:role/${writer?.name}`).toMatch(assumablePattern);
      expect(policyOf(writer?.assume_role_policy).Statement).toEqual([
        expect.objectContaining({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PLATFORM_ACCOUNT}:role/${exporter.name}` }, Action: 'sts:AssumeRole' }),
      ]);
    }
  });

  test('a writer role refuses an exporter given as a pattern, and a namespace of AWS', () => {
    const stack = new TerraformStack(new App(), 'writer');
    expect(
      () =>
        new TenantMetricsWriterRole(stack, 'w', {
          roleName: 'mlp-a-metrics-writer',
          exporterRoleArn: 'arn:aws:iam::*:role/mlp-metrics-exporter',
          cloudwatchNamespace: 'AWS/EC2',
        }),
    ).toThrow(
      /exporterRoleArn 'arn:aws:iam::\*:role\/mlp-metrics-exporter' is not one exact role ARN; cloudwatchNamespace 'AWS\/EC2' must be a custom namespace/,
    );
  });

  test("the add-on's namespace is a platform namespace no tenant can take", () => {
    expect(isReservedTenantName('amazon-cloudwatch')).toBe(true);
    expect(isReservedTenantName('kueue-system')).toBe(true);
  });
});
