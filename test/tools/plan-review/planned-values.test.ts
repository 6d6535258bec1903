/**
 * The review with offline plans (`--base-plans`, `--head-plans`): hand-made plan JSON in
 * the shape of `terraform show -json`, next to real synth outputs. Terraform is not run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../../kernel/errors';
import { planReview, type PlanReviewResult } from '../../../tools/plan-review';
import { KNOWN_AFTER_APPLY, readPlannedValues } from '../../../tools/plan-review/planned-values';
import type { BlockChange } from '../../../tools/plan-review/compare';
import { PLATFORM_FILE, removeTempDirs, synth, tempDir, tenantsDir, passingChecks } from './fixtures';

const FRAUD = 'tenant-fraud-detection';
const ANALYTICS = 'tenant-analytics';

interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

let base: string;
let head: string;

/** Configuration of the first resource of `type` in a synthesized stack, without cdktf metadata. */
function firstResource(synthDir: string, stack: string, type: string): PlannedResource {
  const json = JSON.parse(readFileSync(path.join(synthDir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  const [name, config] = Object.entries(json.resource[type])[0];
  const { '//': _metadata, ...values } = config;
  return { address: `${type}.${name}`, type, name, values };
}

/** Writes `<plans>/<stack>/plan.json` shaped like `terraform show -json`. */
function writePlan(plans: string, stack: string, resources: readonly PlannedResource[], afterUnknown: Record<string, unknown> = {}): void {
  mkdirSync(path.join(plans, stack), { recursive: true });
  const plan = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: { resources: resources.map((r) => ({ ...r, mode: 'managed', provider_name: 'registry.terraform.io/hashicorp/aws' })) } },
    resource_changes: resources.map((r) => ({
      address: r.address,
      mode: 'managed',
      type: r.type,
      name: r.name,
      change: { actions: ['create'], after: r.values, after_unknown: afterUnknown[r.address] ?? {} },
    })),
  };
  writeFileSync(path.join(plans, stack, 'plan.json'), JSON.stringify(plan));
}

function withValues(resource: PlannedResource, extra: Record<string, unknown>): PlannedResource {
  return { ...resource, values: { ...resource.values, ...extra } };
}

function review(plans: { base?: string; head?: string }): PlanReviewResult {
  return planReview({ baseDir: base, headDir: head, platformFile: PLATFORM_FILE, basePlans: plans.base, headPlans: plans.head, ...passingChecks() });
}

function changesOf(result: PlanReviewResult, tenant: string): readonly BlockChange[] {
  return result.review.tenants.changed.find((t) => t.name === tenant)?.changes ?? [];
}

function attribute(changes: readonly BlockChange[], address: string, attributePath: string) {
  return changes.find((c) => c.address === address)?.attributes.find((a) => a.path === attributePath);
}

beforeAll(() => {
  base = synth(tenantsDir());
  head = synth(
    tenantsDir({
      edit: {
        'fraud-detection': (t) => ((t.quota as { gpus: number }).gpus = 24),
        analytics: (t) => ((t.quota as { cpu: number }).cpu = 48),
      },
    }),
  );
});

afterAll(removeTempDirs);

describe('plan review with planned values', () => {
  it('shows a provider default that differs only in planned values as a change', () => {
    const role = firstResource(base, FRAUD, 'aws_iam_role');
    const basePlans = tempDir('plan-review-plans-');
    const headPlans = tempDir('plan-review-plans-');
    writePlan(basePlans, FRAUD, [withValues(role, { max_session_duration: 3600 })]);
    writePlan(headPlans, FRAUD, [withValues(role, { max_session_duration: 7200 })]);
    const result = review({ base: basePlans, head: headPlans });
    expect(attribute(changesOf(result, 'fraud-detection'), role.address, 'max_session_duration')).toMatchObject({ before: 3600, after: 7200 });
    expect(result.review.planned).toEqual({ base: 1, head: 1 });
    expect(result.markdown).toMatch(/Planned values \(offline plan\) used for base: 1 stack, head: 1 stack/);
  });

  it('shows no change when the planned values are the same on both sides, defaults included', () => {
    const role = firstResource(base, FRAUD, 'aws_iam_role');
    const basePlans = tempDir('plan-review-plans-');
    const headPlans = tempDir('plan-review-plans-');
    writePlan(basePlans, FRAUD, [withValues(role, { max_session_duration: 3600 })]);
    writePlan(headPlans, FRAUD, [withValues(role, { max_session_duration: 3600 })]);
    expect(changesOf(review({ base: basePlans, head: headPlans }), 'fraud-detection').find((c) => c.address === role.address)).toBeUndefined();
  });

  it('compares by configuration when only one side has a plan, so defaults are not reported as changes', () => {
    const role = firstResource(base, FRAUD, 'aws_iam_role');
    const headPlans = tempDir('plan-review-plans-');
    writePlan(headPlans, FRAUD, [withValues(role, { max_session_duration: 7200 })]);
    const result = review({ head: headPlans });
    expect(changesOf(result, 'fraud-detection').find((c) => c.address === role.address)).toBeUndefined();
    expect(result.review.planned).toEqual({ base: undefined, head: 1 });
    expect(result.markdown).toMatch(/base: no plans given, head: 1 stack/);
  });

  it('falls back to configuration for a stack without a plan', () => {
    const role = firstResource(base, FRAUD, 'aws_iam_role');
    const quota = firstResource(head, ANALYTICS, 'kubernetes_resource_quota_v1');
    const plans = tempDir('plan-review-plans-');
    writePlan(path.join(plans, 'base'), FRAUD, [role]);
    writePlan(path.join(plans, 'head'), FRAUD, [role]);
    const result = review({ base: path.join(plans, 'base'), head: path.join(plans, 'head') });
    expect(changesOf(result, 'analytics').map((c) => c.address)).toContain(quota.address);
    expect(result.review.planned).toEqual({ base: 1, head: 1 });
  });

  it('still shows kubernetes resources, which the offline plan leaves out, from configuration', () => {
    const role = firstResource(base, FRAUD, 'aws_iam_role');
    const quota = firstResource(head, FRAUD, 'kubernetes_resource_quota_v1');
    const basePlans = tempDir('plan-review-plans-');
    const headPlans = tempDir('plan-review-plans-');
    writePlan(basePlans, FRAUD, [role]);
    writePlan(headPlans, FRAUD, [role]);
    const quotaChange = changesOf(review({ base: basePlans, head: headPlans }), FRAUD.slice('tenant-'.length)).find((c) => c.address === quota.address);
    expect(quotaChange?.action).toBe('update');
    expect(quotaChange?.attributes.map((a) => a.after)).toContain('24');
  });

  it('shows an attribute that becomes known only after apply as such, not as removed', () => {
    const role = firstResource(base, FRAUD, 'aws_iam_role');
    const basePlans = tempDir('plan-review-plans-');
    const headPlans = tempDir('plan-review-plans-');
    writePlan(basePlans, FRAUD, [withValues(role, { permissions_boundary: 'arn:aws:iam::111111111111:policy/boundary' })]);
    const { permissions_boundary: _known, ...unknownValues } = withValues(role, {}).values;
    writePlan(headPlans, FRAUD, [{ ...role, values: unknownValues }], { [role.address]: { permissions_boundary: true } });
    const change = attribute(changesOf(review({ base: basePlans, head: headPlans }), 'fraud-detection'), role.address, 'permissions_boundary');
    expect(change).toMatchObject({ before: 'arn:aws:iam::111111111111:policy/boundary', after: KNOWN_AFTER_APPLY });
  });

  it('reads no plan of a stack that is identical on both sides', () => {
    const plans = tempDir('plan-review-plans-');
    mkdirSync(path.join(plans, 'tenant-recsys-inference'), { recursive: true });
    writeFileSync(path.join(plans, 'tenant-recsys-inference', 'plan.json'), '{ not json');
    expect(review({ base: plans, head: plans }).review.planned).toEqual({ base: 0, head: 0 });
  });

  it('fails with an input error naming a malformed plan of a stack it needs', () => {
    const plans = tempDir('plan-review-plans-');
    mkdirSync(path.join(plans, FRAUD), { recursive: true });
    writeFileSync(path.join(plans, FRAUD, 'plan.json'), '{"format_version": "1.2"}');
    expect(() => review({ head: plans })).toThrow(InputError);
    expect(() => review({ head: plans })).toThrow(/plan\.json: not a Terraform plan JSON/);
  });

  it('fails with an input error when a plans directory does not exist', () => {
    expect(() => review({ head: path.join(tempDir(), 'missing') })).toThrow(/head plans directory not found/);
  });

  it('says nothing about planned values when no plans are given', () => {
    const result = review({});
    expect(result.review.planned).toEqual({ base: undefined, head: undefined });
    expect(result.markdown).not.toMatch(/Planned values/);
  });
});

describe('readPlannedValues', () => {
  it('reads resources of child modules too, by their full address', () => {
    const plans = tempDir('plan-review-plans-');
    mkdirSync(path.join(plans, 'stack'), { recursive: true });
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [{ address: 'aws_s3_bucket.a', type: 'aws_s3_bucket', name: 'a', values: { bucket: 'a' } }],
          child_modules: [
            { address: 'module.m', resources: [{ address: 'module.m.aws_s3_bucket.b', type: 'aws_s3_bucket', name: 'b', values: { bucket: 'b' } }] },
          ],
        },
      },
    };
    writeFileSync(path.join(plans, 'stack', 'plan.json'), JSON.stringify(plan));
    const values = readPlannedValues(plans, 'stack')!;
    expect([...values.keys()]).toEqual(['aws_s3_bucket.a', 'module.m.aws_s3_bucket.b']);
    expect(values.get('module.m.aws_s3_bucket.b')).toEqual({ bucket: 'b' });
  });

  it('marks unknown values inside nested blocks', () => {
    const plans = tempDir('plan-review-plans-');
    mkdirSync(path.join(plans, 'stack'), { recursive: true });
    const plan = {
      format_version: '1.2',
      planned_values: { root_module: { resources: [{ address: 'aws_eks_node_group.n', values: { scaling_config: [{ max_size: 4 }] } }] } },
      resource_changes: [{ address: 'aws_eks_node_group.n', change: { after_unknown: { scaling_config: [{ desired_size: true }], arn: true } } }],
    };
    writeFileSync(path.join(plans, 'stack', 'plan.json'), JSON.stringify(plan));
    expect(readPlannedValues(plans, 'stack')!.get('aws_eks_node_group.n')).toEqual({
      scaling_config: [{ max_size: 4, desired_size: KNOWN_AFTER_APPLY }],
      arn: KNOWN_AFTER_APPLY,
    });
  });

  it('returns nothing for a stack without a plan', () => {
    expect(readPlannedValues(tempDir(), 'stack')).toBeUndefined();
  });
});
