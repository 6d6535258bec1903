/**
 * The metrics layer of the isolation proof, on the samples and with planted defects: a
 * writer role another tenant can assume, a writer role that may write any namespace or
 * read, a people role that cannot read its own metrics, an active tenant without a writer.
 */
import { layerFindings, proveStacks, type ProofFinding, type ProofResult } from '../../proof/prove';
import { Resolver, type JsonObject, type SynthStack } from '../../proof/resolve';
import { readPlatformModel, type TenantModel } from '../../proof/model';
import { proveMetrics } from '../../proof/metrics';
import { cloneStacks, resources, tenantModels, withStatement, readSampleStacks } from './plant';

let stacks: SynthStack[];
let models: Map<string, TenantModel>;
let clean: ProofResult;

beforeAll(async () => {
  stacks = readSampleStacks();
  models = tenantModels(stacks);
  clean = await proveStacks(stacks);
});

const EXPORTER = 'arn:aws:iam::222222222222:role/mlp-metrics-exporter';

function role(planted: SynthStack[], tenant: string, name: string): JsonObject {
  const found = Object.values(resources(planted, tenant, 'aws_iam_role')).find((r) => r.name === name);
  if (!found) throw new Error(`no role ${name} in tenant-${tenant}`);
  return found;
}

const writer = (planted: SynthStack[], tenant: string) => role(planted, tenant, `mlp-${tenant}-metrics-writer`);
const inline = (r: JsonObject) => (r.inline_policy as { policy: string }[])[0];
/** The metrics layer alone (fast): its failed checks as findings. */
function metricsLayer(planted: SynthStack[]): ProofFinding[] {
  const { model, errors } = readPlatformModel(new Resolver(planted));
  if (!model) throw new Error(errors.map((e) => e.message).join('\n'));
  return layerFindings(proveMetrics(model, model.tenants, 'fast').failed);
}
const shown = (findings: readonly ProofFinding[]) => findings.map((f) => `${f.type} ${f.check.kind} ${f.check.action} ${f.check.principal.split(':').pop()}`);

describe('metrics layer of the isolation proof', () => {
  test('passes on the samples, having checked every tenant against the export', () => {
    expect(clean.findings).toEqual([]);
    expect(clean.metricsLayer).toEqual({ tenantsExported: 3 });
    expect(clean.notes.join('\n')).not.toContain('no metrics export');
  });

  test('the export writes the namespace the writer roles are limited to', () => {
    const analytics = models.get('analytics') as TenantModel;
    const writerRole = analytics.roles.find((r) => r.name === 'mlp-analytics-metrics-writer');
    expect(writerRole?.kind).toBe('other');
    expect(JSON.stringify(writerRole?.identity.map((p) => p.document))).toContain('"cloudwatch:namespace":"mlp/ContainerInsights"');
  });

  test("catches a writer role another tenant's workload can assume, and the exporter no longer can", async () => {
    const planted = cloneStacks(stacks);
    const fraud = models.get('fraud-detection') as TenantModel;
    const target = writer(planted, 'analytics');
    target.assume_role_policy = String(target.assume_role_policy).replace(EXPORTER, `arn:aws:iam::${fraud.accountId}:role/fraud-detection-workload`);
    // The other side of a cross-account assume: the workload's own policy allows it (alone it reaches nothing of analytics).
    const workload = inline(role(planted, 'fraud-detection', 'fraud-detection-workload'));
    workload.policy = withStatement(workload.policy, '{"Effect" = "Allow", "Action" = "sts:AssumeRole", "Resource" = "*"}');
    const result = await proveStacks(planted);
    expect(shown(result.findings).sort()).toEqual([
      'blocked metrics sts:AssumeRole role/mlp-metrics-exporter',
      'leak assume-role sts:AssumeRole role/fraud-detection-workload',
    ]);
    expect(result.findings.find((f) => f.type === 'leak')?.check.resource).toMatch(/:role\/mlp-analytics-metrics-writer$/);
  });

  test("catches a writer role the tenant's own workload can assume", () => {
    const planted = cloneStacks(stacks);
    const analytics = models.get('analytics') as TenantModel;
    const target = writer(planted, 'analytics');
    // The exporter still trusted, and beside it the whole account.
    target.assume_role_policy = String(target.assume_role_policy).replace(`"${EXPORTER}"`, `["${EXPORTER}", "arn:aws:iam::${analytics.accountId}:root"]`);
    expect(target.assume_role_policy).toContain(':root');
    const workload = inline(role(planted, 'analytics', 'analytics-workload'));
    workload.policy = withStatement(workload.policy, '{"Effect" = "Allow", "Action" = "sts:AssumeRole", "Resource" = "*"}');
    // (Trusted by its account, the writer now also counts as a people role, which the proof expects to read metrics.)
    const found = shown(metricsLayer(planted));
    // The platform's deployer, in the same account with administrator rights, is admitted by the account trust too.
    expect(found.filter((f) => f.startsWith('leak')).sort()).toEqual([
      'leak metrics sts:AssumeRole role/analytics-workload',
      'leak metrics sts:AssumeRole role/mlp-deployer',
    ]);
  });

  test("restricted to the changed tenants (a pull request), checks a changed tenant's writer and leaves out a tenant outside the focus", () => {
    const planted = cloneStacks(stacks);
    const policy = inline(writer(planted, 'fraud-detection'));
    policy.policy = policy.policy.replace(/, \\?"Condition\\?" = \{[^}]*\}\}/, '');
    const { model } = readPlatformModel(new Resolver(planted));
    if (!model) throw new Error('no model');
    const focused = (names: string[]) => shown(layerFindings(proveMetrics(model, model.tenants, 'fast', new Set(names)).failed));
    expect(focused(['fraud-detection'])).toEqual(['leak metrics cloudwatch:PutMetricData (ContainerInsights) role/mlp-fraud-detection-metrics-writer']);
    expect(proveMetrics(model, model.tenants, 'fast', new Set(['fraud-detection'])).simulations).toBeLessThan(
      proveMetrics(model, model.tenants, 'fast').simulations,
    );
    // The defect is not the focus tenant's, and no check of the focus tenant reaches it.
    expect(focused(['recsys-inference']).filter((f) => f.includes('fraud-detection'))).toEqual([]);
  });

  test('catches a writer role that may write any CloudWatch namespace', () => {
    const planted = cloneStacks(stacks);
    const policy = inline(writer(planted, 'fraud-detection'));
    policy.policy = policy.policy.replace(/, \\?"Condition\\?" = \{[^}]*\}\}/, '');
    expect(policy.policy).not.toContain('Condition');
    const found = metricsLayer(planted);
    expect(shown(found)).toEqual(['leak metrics cloudwatch:PutMetricData (ContainerInsights) role/mlp-fraud-detection-metrics-writer']);
    expect(found[0].check.resourceTenant).toBe('fraud-detection');
  });

  test('catches a writer role that may read metrics', () => {
    const planted = cloneStacks(stacks);
    const policy = inline(writer(planted, 'analytics'));
    policy.policy = withStatement(policy.policy, '{"Effect" = "Allow", "Action" = "cloudwatch:GetMetricData", "Resource" = "*"}');
    expect(shown(metricsLayer(planted))).toEqual(['leak metrics cloudwatch:GetMetricData role/mlp-analytics-metrics-writer']);
  });

  test('catches people who cannot read their own metrics', () => {
    const planted = cloneStacks(stacks);
    const policy = inline(role(planted, 'recsys-inference', 'recsys-inference-people'));
    policy.policy = withStatement(policy.policy, '{"Effect" = "Deny", "Action" = "cloudwatch:GetMetricData", "Resource" = "*"}');
    expect(shown(metricsLayer(planted))).toEqual(['blocked metrics cloudwatch:GetMetricData role/recsys-inference-people']);
  });

  test('catches an active tenant without a writer role', () => {
    const planted = cloneStacks(stacks);
    const roles = resources(planted, 'analytics', 'aws_iam_role');
    const key = Object.keys(roles).find((k) => roles[k].name === 'mlp-analytics-metrics-writer') as string;
    delete roles[key];
    const found = metricsLayer(planted);
    expect(found.map((f) => `${f.type} ${f.check.resourceTenant} ${f.check.resource}`)).toEqual([
      `blocked analytics a writer role in ${(models.get('analytics') as TenantModel).accountId} trusted by the exporter`,
    ]);
  });
});
