import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { proveIsolationCommand } from '../../bin/prove-isolation';
import type { HclValue } from '../../kernel/hcl';
import { readPlatformModel, type TenantModel } from '../../proof/model';
import { OfflinePlanAttributes } from '../../proof/planned';
import { ProofInputError, proveStacks, type ProofResult } from '../../proof/prove';
import { readSynthDir, resourceAddress, Resolver, type PolicyAttribute, type PolicySource, type ResourceRef, type SynthStack } from '../../proof/resolve';
import { InputError } from '../../kernel/errors';
import { planJsonPath } from '../../tools/offline-plan';
import { placeholderState } from '../../kernel/placeholders';
import { synthPlatform } from '../support/synth';
import { tempDir } from './plant';

/** One policy document the proof read, where it read it, and its resolved value. */
interface ReadPolicy {
  readonly ref: ResourceRef;
  readonly attribute: PolicyAttribute;
  readonly value: HclValue;
}

/** Records every policy document the model reads, unchanged. */
class RecordingPolicies implements PolicySource {
  readonly read: ReadPolicy[] = [];
  policy(ref: ResourceRef, attribute: PolicyAttribute, resolved: HclValue | undefined): HclValue | undefined {
    if (resolved !== undefined) this.read.push({ ref, attribute, value: resolved });
    return resolved;
  }
}

type Document = { Version: string; Statement: Record<string, unknown>[] };

const asText = (value: HclValue): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** A plan.json like `terraform show -json` writes, with the given documents as known planned values. */
function writePlan(workDir: string, stack: string, policies: readonly ReadPolicy[], unknown: (p: ReadPolicy) => boolean = () => false): void {
  const byAddress = new Map<string, { after: Record<string, unknown>; after_unknown: Record<string, unknown>; ref: ResourceRef }>();
  for (const p of policies) {
    const address = resourceAddress(p.ref);
    const entry = byAddress.get(address) ?? { after: {}, after_unknown: {}, ref: p.ref };
    byAddress.set(address, entry);
    const isUnknown = unknown(p);
    if (p.attribute.inline === undefined) {
      if (isUnknown) entry.after_unknown[p.attribute.name] = true;
      else entry.after[p.attribute.name] = asText(p.value);
    } else {
      entry.after[p.attribute.name] ??= [];
      entry.after_unknown[p.attribute.name] ??= [];
      const blocks = entry.after[p.attribute.name] as Record<string, unknown>[];
      const unknowns = entry.after_unknown[p.attribute.name] as Record<string, unknown>[];
      blocks.push(isUnknown ? { name: p.attribute.inline } : { name: p.attribute.inline, policy: asText(p.value) });
      unknowns.push(isUnknown ? { policy: true } : {});
    }
  }
  const resource_changes = [...byAddress].map(([address, { after, after_unknown, ref }]) => ({
    address,
    mode: 'managed',
    type: ref.type,
    name: ref.name,
    change: { actions: ['create'], after, after_unknown },
  }));
  const file = planJsonPath(workDir, stack);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', resource_changes }));
}

let synthDir: string;
let stacks: SynthStack[];
let tenants: Map<string, TenantModel>;
let documents: ReadPolicy[];

beforeAll(() => {
  synthDir = synthPlatform().outdir;
  stacks = readSynthDir(synthDir);
  const recording = new RecordingPolicies();
  const { model, errors } = readPlatformModel(new Resolver(stacks, new OfflinePlanAttributes(stacks), recording));
  if (!model) throw new Error(errors.map((e) => e.message).join('\n'));
  tenants = new Map(model.tenants.map((t) => [t.name, t]));
  // Managed policies are read once per role that uses them: keep each document once.
  const seen = new Set<string>();
  documents = recording.read.filter((p) => {
    const key = `${p.ref.stack} ${resourceAddress(p.ref)} ${p.attribute.name} ${p.attribute.inline ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}, 60_000);

const ofStack = (stack: string) => documents.filter((p) => p.ref.stack === stack);
const isWorkloadPolicy = (p: ReadPolicy) => p.attribute.inline === 'workload';
const leakPairs = (result: ProofResult) => [
  ...new Set(result.findings.filter((f) => f.type === 'leak').map((f) => `${f.check.principalTenant} -> ${f.check.resourceTenant}`)),
];

/**
 * A share of fraud-detection's first bucket with analytics, in planned values only: the
 * bucket policy allows analytics' workload role and its policy grants the bucket.
 */
function leakingPlans(work: string, unknown?: (p: ReadPolicy) => boolean): { planned: number } {
  const target = tenants.get('fraud-detection')?.buckets[0];
  // The workload role, not the account: every account also holds the platform's deployer, which may do anything its account is granted.
  const grantee = tenants.get('analytics')?.roles.find((role) => role.kind === 'workload')?.arn;
  if (!target || !grantee) throw new Error('the samples have no fraud-detection bucket or analytics workload role');
  const resources = [target.arn, `${target.arn}/*`];
  const analytics = ofStack('tenant-analytics').map((p) => {
    if (!isWorkloadPolicy(p)) return p;
    const document = JSON.parse(asText(p.value)) as Document;
    document.Statement.push({ Sid: 'PlannedLeak', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: resources });
    return { ...p, value: JSON.stringify(document) };
  });
  const isTargetPolicy = (p: ReadPolicy) => p.ref.type === 'aws_s3_bucket_policy' && asText(p.value).includes(JSON.stringify(target.arn));
  const fraud = ofStack('tenant-fraud-detection');
  expect(fraud.filter(isTargetPolicy)).toHaveLength(1);
  const shared = fraud.map((p) =>
    isTargetPolicy(p)
      ? {
          ...p,
          value: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'PlannedShare',
                Effect: 'Allow',
                Principal: { AWS: grantee },
                Action: ['s3:GetObject', 's3:ListBucket'],
                Resource: resources,
              },
            ],
          }),
        }
      : p,
  );
  writePlan(work, 'tenant-analytics', analytics, unknown);
  writePlan(work, 'tenant-fraud-detection', shared);
  return { planned: analytics.length + shared.length };
}

test('the fixture has a workload inline policy in the analytics stack to alter', () => {
  expect(ofStack('tenant-analytics').filter(isWorkloadPolicy)).toHaveLength(1);
});

test('finds a leak that exists only in the planned values, so it reads them', async () => {
  const work = tempDir('mlp-planned-leak-');
  leakingPlans(work);
  const withPlans = await proveStacks(stacks, { plansDir: work });
  expect(leakPairs(withPlans)).toEqual(['analytics -> fraud-detection']);
  expect(withPlans.findings.some((f) => f.culprits.some((c) => JSON.stringify(c).includes('PlannedLeak')))).toBe(true);
  expect(leakPairs(await proveStacks(stacks))).toEqual([]);
}, 60_000);

test('resolves the documents of a stack without plan.json itself, and counts each source', async () => {
  const work = tempDir('mlp-planned-fallback-');
  writePlan(work, 'tenant-analytics', ofStack('tenant-analytics'));
  const result = await proveStacks(stacks, { plansDir: work });
  expect(leakPairs(result)).toEqual([]);
  expect(result.policySources).toEqual({
    planned: ofStack('tenant-analytics').length,
    resolved: documents.length - ofStack('tenant-analytics').length,
    stacksWithPlan: 1,
  });
}, 60_000);

test('resolves an attribute the plan knows only after apply itself', async () => {
  const work = tempDir('mlp-planned-unknown-');
  const { planned } = leakingPlans(work, isWorkloadPolicy);
  const result = await proveStacks(stacks, { plansDir: work });
  expect(leakPairs(result)).toEqual([]);
  expect(result.policySources?.planned).toBe(planned - 1);
}, 60_000);

test("takes a vended tenant's account id from the offline plan's placeholder state of its account stack", () => {
  for (const tenant of ['fraud-detection', 'analytics']) {
    const account = stacks.find((s) => s.name === `account-${tenant}`) as SynthStack;
    const state = placeholderState({ name: account.name, file: account.file, config: account.json });
    expect(Object.values(state.outputs).map((o) => o.value)).toContain(tenants.get(tenant)?.accountId);
  }
});

test('fails if a planned document names an account the synthesized output does not', async () => {
  const work = tempDir('mlp-planned-stale-');
  const own = tenants.get('analytics')?.accountId as string;
  const stranger = own === '999999999999' ? '888888888888' : '999999999999';
  writePlan(
    work,
    'tenant-analytics',
    ofStack('tenant-analytics').map((p) => (asText(p.value).includes(own) ? { ...p, value: asText(p.value).split(own).join(stranger) } : p)),
  );
  const failure = proveStacks(stacks, { plansDir: work });
  await expect(failure).rejects.toThrow(ProofInputError);
  await expect(failure).rejects.toMatchObject({ problems: expect.arrayContaining([expect.stringContaining(`names account ${stranger}`)]) });
}, 60_000);

test('fails with a readable line if the plans directory does not exist', async () => {
  await expect(proveStacks(stacks, { plansDir: path.join(tempDir('mlp-planned-none-'), 'missing') })).rejects.toThrow(InputError);
});

test('prints how many policy documents came from planned values with --plans', async () => {
  const work = tempDir('mlp-planned-command-');
  writePlan(work, 'tenant-analytics', ofStack('tenant-analytics'));
  const report: string[] = [];
  await proveIsolationCommand(['--synth', synthDir, '--plans', work], { report: (line) => report.push(line), diagnostic: () => undefined });
  expect(report.filter((line) => line.startsWith('policy documents:'))).toEqual([
    `policy documents: ${ofStack('tenant-analytics').length} from planned values (1 stack with a plan), ${documents.length - ofStack('tenant-analytics').length} from the proof's resolver`,
  ]);
}, 60_000);
