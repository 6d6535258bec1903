import { cpSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CliFailure, reportError } from '../../bin/cli';
import { proveIsolationCommand, USAGE } from '../../bin/prove-isolation';
import { ProofInputError, proveStacks, type ProofFinding, type ProofResult } from '../../proof/prove';
import { formatResult } from '../../proof/report';
import { readSynthDir, Resolver, type SynthStack } from '../../proof/resolve';
import { readPlatformModel, type TenantModel } from '../../proof/model';
import { generateTenants } from '../../bench/generated-tenants';
import { parseCheckReport } from '../../kernel/check-report';
import { readCheck } from '../../tools/plan-review/checks';
import {
  addGuardrailStatement,
  cloneStacks,
  resources,
  dropWorkloadDataAccess,
  exemptAccessRoleAgain,
  SAMPLE_TENANTS_DIR,
  setBucketPolicy,
  shareBucket,
  shareKey,
  synthInto,
  tempDir,
  tenantModels,
  trustAnyServiceAccountEverywhere,
  trustForeignServiceAccount,
  withStatement,
} from './plant';
import { decide, RequestBuilder, throughEc2Context, type Decision } from '../../proof/simulate';
import { karpenterNames, volumeNames } from '../../config/names';

const leaks = (result: ProofResult): ProofFinding[] => result.findings.filter((f) => f.type === 'leak');
const leakPairs = (result: ProofResult): string[] => [...new Set(leaks(result).map((f) => `${f.check.principalTenant} -> ${f.check.resourceTenant}`))].sort();

/** A copy of a synthesized output with some stacks edited, on disk for the command. */
function editedCopy(source: string, edit: (stacks: SynthStack[]) => void): string {
  const dir = path.join(tempDir('mlp-proof-edited-'), 'cdktf.out');
  cpSync(source, dir, { recursive: true });
  const stacks = readSynthDir(dir);
  edit(stacks);
  for (const stack of stacks) writeFileSync(stack.file, JSON.stringify(stack.json));
  return dir;
}

/** Runs the command in-process: its report lines, diagnostics, one-line result and exit code as the CLI frame computes it. */
async function command(...args: string[]) {
  const report: string[] = [];
  const diagnostic: string[] = [];
  try {
    const result = await proveIsolationCommand(args, { report: (line) => report.push(line), diagnostic: (line) => diagnostic.push(line) });
    return { code: 0, report, diagnostic, result };
  } catch (error) {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = reportError('prove-isolation', USAGE, error);
      return { code, report, diagnostic, result: error instanceof CliFailure ? error.message : String(error) };
    } finally {
      write.mockRestore();
    }
  }
}

let sampleDir: string;
let stacks: SynthStack[];
let models: Map<string, TenantModel>;
let clean: ProofResult;

beforeAll(async () => {
  sampleDir = synthInto(SAMPLE_TENANTS_DIR);
  stacks = readSynthDir(sampleDir);
  models = tenantModels(stacks);
  clean = await proveStacks(stacks);
});

describe('isolation proof of the sample tenants', () => {
  test('passes in fast mode: no leak and every tenant reaches its own buckets and key', () => {
    expect(clean.tenants).toEqual(['analytics', 'fraud-detection', 'recsys-inference']);
    expect(clean.findings).toEqual([]);
    expect(clean.irregular.size).toBe(0);
  });

  test('passes pairwise, simulating every ordered pair of tenants', async () => {
    const result = await proveStacks(stacks, { mode: 'pairwise' });
    expect(result.findings).toEqual([]);
    expect(result.simulatedPairs.size).toBe(6);
  });

  test('puts tenants with different bucket counts in one class, and the adopted account in another', () => {
    expect(models.get('analytics')?.buckets).toHaveLength(2);
    expect(models.get('fraud-detection')?.buckets).toHaveLength(3);
    expect(clean.classes.map((c) => c.members)).toEqual(expect.arrayContaining([['analytics', 'fraud-detection'], ['recsys-inference']]));
  });

  test('notes the adopted account, whose placement in the organization the stacks do not fix', () => {
    expect(clean.tenantsWithoutKnownScps).toEqual(['recsys-inference']);
  });

  test('fails if a bucket is shared with another tenant, naming action, principal, resource and both granting statements', async () => {
    const planted = cloneStacks(stacks);
    const bucketArn = shareBucket(planted, models, 'analytics', 'recsys-inference');
    const result = await proveStacks(planted);
    expect(leakPairs(result)).toEqual(['recsys-inference -> analytics']);
    const read = leaks(result).find((f) => f.check.action === 's3:GetObject');
    expect(read?.check.principal).toBe(models.get('recsys-inference')?.roles.find((r) => r.kind === 'workload')?.arn);
    expect(read?.check.resource).toBe(`${bucketArn}/isolation-proof/object`);
    expect(read?.culprits.map((c) => (c.statement as { Sid: string }).Sid).sort()).toEqual(['ReadSharedBucket', 'ShareWithGrantee']);
    expect(read?.culprits.map((c) => c.source).join(' ')).toMatch(/tenant-analytics aws_s3_bucket_policy\..* policy/);
    const pairwise = await proveStacks(planted, { mode: 'pairwise' });
    expect(pairwise.findings.map((f) => [f.check.action, f.check.principal, f.check.resource])).toEqual(
      result.findings.map((f) => [f.check.action, f.check.principal, f.check.resource]),
    );
  });

  test('keeps the service control policies in force: a grant that an SCP denies is no leak', async () => {
    const planted = cloneStacks(stacks);
    const bucketArn = shareBucket(planted, models, 'analytics', 'fraud-detection');
    addGuardrailStatement(planted, `{"Sid" = "DenyReadingTheSharedBucket", "Effect" = "Deny", "Action" = "s3:GetObject", "Resource" = "${bucketArn}/*"}`);
    const result = await proveStacks(planted);
    expect(leaks(result).map((f) => [f.check.principalTenant, f.check.action])).toEqual([['fraud-detection', 's3:ListBucket']]);
  });

  test('fails if a key is shared: kms:Decrypt by the other tenant is a leak', async () => {
    const planted = cloneStacks(stacks);
    const keyArn = shareKey(planted, models, 'fraud-detection', 'analytics');
    const result = await proveStacks(planted);
    expect(leaks(result).map((f) => [f.check.action, f.check.principalTenant, f.check.resource])).toEqual([['kms:Decrypt', 'analytics', keyArn]]);
  });

  test('fails if a key admits another tenant for volumes: a grant through EC2 is a leak', async () => {
    const planted = cloneStacks(stacks);
    const key = models.get('fraud-detection')!.keys[0];
    const analytics = models.get('analytics')!.accountId;
    const keyResource = Object.values(resources(planted, 'fraud-detection', 'aws_kms_key'))[0];
    keyResource.policy = withStatement(
      String(keyResource.policy),
      `{"Sid" = "VolumesOfAnalytics", "Effect" = "Allow", "Principal" = {"AWS" = "arn:aws:iam::${analytics}:root"}, "Action" = "kms:CreateGrant", "Resource" = "*", "Condition" = {"Bool" = {"kms:GrantIsForAWSResource" = "true"}}}`,
    );
    // The workload role: the people role's boundary denies grants anyway.
    const workload = Object.values(resources(planted, 'analytics', 'aws_iam_role')).find((r) => r.name === 'analytics-workload')!;
    const inline = (workload.inline_policy as { policy: string }[])[0];
    inline.policy = withStatement(inline.policy, `{"Effect" = "Allow", "Action" = "kms:CreateGrant", "Resource" = "${key.arn}"}`);
    const result = await proveStacks(planted);
    expect(leaks(result).map((f) => [f.check.action, f.check.principal, f.check.resource])).toEqual([
      ['kms:CreateGrant', `arn:aws:iam::${analytics}:role/analytics-workload`, key.arn],
    ]);
  });

  test("fails if a workload role trusts another tenant's service account", async () => {
    const planted = cloneStacks(stacks);
    trustForeignServiceAccount(planted, 'analytics', 'fraud-detection');
    const result = await proveStacks(planted);
    const found = leaks(result);
    expect(found.map((f) => [f.check.action, f.check.principal, f.check.resourceTenant])).toEqual([
      ['sts:AssumeRoleWithWebIdentity', 'pod fraud-detection/fraud-detection-workload', 'analytics'],
    ]);
    expect(found[0].culprits.map((c) => (c.statement as { Sid: string }).Sid)).toEqual(['TenantServiceAccountOnly']);
  });

  test('a bucket policy that trusts another account while that account has no grant is not a leak, but makes the tenant irregular', async () => {
    const planted = cloneStacks(stacks);
    shareBucket(planted, models, 'analytics', 'recsys-inference', { granteeSide: false });
    const result = await proveStacks(planted);
    expect(result.findings).toEqual([]);
    expect(result.irregular.get('analytics')?.join(' ')).toMatch(/names recsys-inference's account/);
  });

  test('reports blocked own access when a workload role loses its data permissions', async () => {
    const planted = cloneStacks(stacks);
    dropWorkloadDataAccess(planted, 'fraud-detection');
    const result = await proveStacks(planted);
    const blocked = result.findings.filter((f) => f.type === 'blocked');
    expect(new Set(blocked.map((f) => f.check.principalTenant))).toEqual(new Set(['fraud-detection']));
    expect(new Set(blocked.map((f) => f.check.action))).toEqual(new Set(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 'kms:Decrypt']));
    expect(leaks(result)).toEqual([]);
  });

  test('rejects a policy with a reference it cannot resolve, naming stack, resource and expression', async () => {
    const planted = cloneStacks(stacks);
    const resource = setBucketPolicy(
      planted,
      'analytics',
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Principal" = "*", "Action" = "s3:GetObject", "Resource" = var.shared_bucket}]})}',
    );
    const error = await proveStacks(planted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProofInputError);
    expect((error as ProofInputError).problems.join('\n')).toMatch(
      new RegExp(`tenant-analytics aws_s3_bucket_policy\\.${resource} policy: cannot resolve .*var\\.shared_bucket.*'var' references are not supported`),
    );
  });

  test('rejects a reference to a resource that does not exist', async () => {
    const planted = cloneStacks(stacks);
    setBucketPolicy(
      planted,
      'fraud-detection',
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Deny", "Principal" = "*", "Action" = "s3:*", "Resource" = aws_s3_bucket.gone.arn}]})}',
    );
    const error = await proveStacks(planted).catch((e: unknown) => e);
    expect((error as ProofInputError).problems.join('\n')).toMatch(/tenant-fraud-detection .*no resource aws_s3_bucket\.gone in stack tenant-fraud-detection/);
  });

  test('rejects a policy that tests a condition key the proof does not supply', async () => {
    const planted = cloneStacks(stacks);
    setBucketPolicy(
      planted,
      'analytics',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
        ],
      }),
    );
    const error = await proveStacks(planted).catch((e: unknown) => e);
    expect((error as ProofInputError).problems.join('\n')).toMatch(/condition key 'aws:PrincipalOrgID' is not modelled/);
  });

  test('rejects a policy the evaluator finds invalid', async () => {
    const planted = cloneStacks(stacks);
    setBucketPolicy(
      planted,
      'analytics',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Principal: '*', Action: 's3:GetObject', Resource: '*' }] }),
    );
    const error = await proveStacks(planted).catch((e: unknown) => e);
    expect((error as ProofInputError).problems.join('\n')).toMatch(/tenant-analytics aws_s3_bucket_policy.*Effect/);
  });
});

describe('the prove-isolation command', () => {
  test('prints the matrix and a one-line result, and exits 0 for the samples', async () => {
    const { code, report, result } = await command('--synth', sampleDir);
    expect(code).toBe(0);
    expect(report).toContainEqual(expect.stringMatching(/^1 analytics +A +- +-$/));
    expect(result).toMatch(
      /^ok: no tenant reaches another tenant's buckets, keys or roles, and every tenant reaches its own \(3 tenants; fast, \d+ simulations/,
    );
  });

  test('prints every leak with action, principal, resource and granting statements, and exits 1', async () => {
    const dir = editedCopy(sampleDir, (edited) => shareBucket(edited, models, 'analytics', 'recsys-inference'));
    const { code, report, result } = await command('--synth', dir, '--pairwise');
    expect(code).toBe(1);
    expect(report).toContainEqual(expect.stringMatching(/^3 recsys-inference +LEAK +- +A$/));
    expect(report).toContainEqual(
      expect.stringMatching(
        /^LEAK recsys-inference -> analytics: s3:GetObject by arn:aws:iam::333333333333:role\/recsys-inference-workload on arn:aws:s3:::mlp-analytics-/,
      ),
    );
    expect(report).toContainEqual(
      expect.stringMatching(/^ {2}allowed by tenant-analytics aws_s3_bucket_policy\.\S+ policy statement 2 \(ShareWithGrantee\): /),
    );
    expect(result).toMatch(/^2 leaks between 1 ordered pair of tenants/);
  });

  test('exits 1 when a tenant loses access to its own data', async () => {
    const dir = editedCopy(sampleDir, (edited) => dropWorkloadDataAccess(edited, 'analytics'));
    const { code, report } = await command('--synth', dir);
    expect(code).toBe(1);
    expect(report).toContainEqual(expect.stringMatching(/^1 analytics +BLOCKED /));
  });

  test('exits 1 (rejected input) and names stack, resource and expression when a policy cannot be resolved', async () => {
    const dir = editedCopy(sampleDir, (edited) => setBucketPolicy(edited, 'analytics', '${jsonencode({"Statement" = [local.statement]})}'));
    const { code, diagnostic, result } = await command('--synth', dir);
    expect(code).toBe(1);
    expect(diagnostic).toContainEqual(expect.stringMatching(/^tenant-analytics aws_s3_bucket_policy\.\S+ policy: cannot resolve .*local\.statement/));
    expect(result).toBe('1 problem in the synthesized output; nothing was proved');
  });

  test('exits 2 on an unknown option, or a --tenants list that holds no tenant names', async () => {
    expect((await command('--tenant', 'x')).code).toBe(2);
    expect((await command('--tenants', 'analytics,Bad Name')).code).toBe(2);
  });
});

describe('the prove-isolation command with --format json', () => {
  /** The command's JSON report, written where the plan review reads it, and the review's reading of it. */
  async function jsonRun(...args: string[]) {
    const run = await command(...args, '--format', 'json');
    const file = path.join(tempDir('mlp-proof-json-'), 'proof.json');
    writeFileSync(file, run.report.join('\n'));
    return { ...run, parsed: parseCheckReport(run.report.join('\n'), file), reviewed: readCheck('Isolation proof', file) };
  }

  test('writes one versioned report, nothing else, that the review reads as passed', async () => {
    const { code, report, parsed, reviewed } = await jsonRun('--synth', sampleDir);
    expect(code).toBe(0);
    expect(report).toHaveLength(1);
    expect(parsed).toEqual(
      expect.objectContaining({ format: 'mlp.check-report', version: 1, check: 'prove-isolation', status: 'passed', exitCode: 0, findings: [] }),
    );
    expect(parsed.details).toContainEqual(expect.stringMatching(/^1 analytics +A +- +-$/));
    expect(reviewed.status).toBe('passed');
  });

  test('a leak is a failed report with one finding per leak, and the review fails it', async () => {
    const dir = editedCopy(sampleDir, (edited) => shareBucket(edited, models, 'analytics', 'recsys-inference'));
    const { code, parsed, reviewed } = await jsonRun('--synth', dir, '--pairwise');
    expect(code).toBe(1);
    expect(parsed.status).toBe('failed');
    expect(parsed.exitCode).toBe(1);
    expect(parsed.findings).toHaveLength(2);
    expect(parsed.findings[0]).toEqual(
      expect.objectContaining({ severity: 'error', id: 'leak', message: expect.stringMatching(/^LEAK recsys-inference -> analytics: s3:GetObject/) }),
    );
    expect(reviewed).toEqual(expect.objectContaining({ status: 'failed', summary: expect.stringMatching(/^2 leaks between 1 ordered pair/) }));
  });

  test('an output it cannot read is a report with status error, exit 1, that the review fails', async () => {
    const missing = path.join(tempDir('mlp-proof-json-none-'), 'cdktf.out');
    const { code, parsed, reviewed } = await jsonRun('--synth', missing);
    expect(code).toBe(1);
    expect(parsed).toEqual(
      expect.objectContaining({ status: 'error', exitCode: 1, details: [expect.stringContaining(`${missing}: synth output directory not found`)] }),
    );
    expect(reviewed.status).toBe('failed');
  });
});

describe('isolation proof of 20 generated tenants', () => {
  let stacks: SynthStack[];
  let models: Map<string, TenantModel>;

  beforeAll(() => {
    const dir = tempDir('mlp-proof-tenants-');
    generateTenants(20, dir);
    stacks = readSynthDir(synthInto(dir));
    models = tenantModels(stacks);
  });

  test('passes in fast mode, simulating far fewer pairs than pairwise', async () => {
    const result = await proveStacks(stacks);
    expect(result.tenants).toHaveLength(20);
    expect(result.findings).toEqual([]);
    expect(result.irregular.size).toBe(0);
    expect(result.simulatedPairs.size).toBeLessThan((20 * 19) / 4);
  });

  test("signs every generated tenant's group into its own account only, and keeps every account's platform parts the platform's", async () => {
    const { model } = readPlatformModel(new Resolver(stacks));
    const signIns = model?.accounts?.signIns ?? [];
    expect(signIns).toHaveLength(20);
    expect(new Set(signIns.map((s) => s.groupId)).size).toBe(20);
    for (const signIn of signIns) expect(signIn.accountId).toBe(models.get(signIn.tenant ?? '')?.accountId);
    const result = await proveStacks(stacks);
    expect(result.findings.filter((f) => f.check.kind === 'sign-in' || f.check.kind === 'account-control')).toEqual([]);
  });

  test('catches in fast mode the access role exempted again in the account of a tenant that represents no class (its controls then differ from every account checked in full)', async () => {
    const clean = await proveStacks(stacks);
    const representatives = new Set(clean.classes.flatMap((c) => c.members.slice(0, 2)));
    const tenant = [...models.keys()].reverse().find((name) => !representatives.has(name)) as string;
    expect(tenant).toBeDefined();
    const account = (models.get(tenant) as TenantModel).accountId;
    const planted = cloneStacks(stacks);
    exemptAccessRoleAgain(planted, tenant, account);
    const found = (await proveStacks(planted)).findings.filter((f) => f.check.kind === 'account-control');
    expect(found.length).toBeGreaterThan(0);
    for (const f of found)
      expect([f.type, f.check.principal, f.check.resourceTenant]).toEqual(['leak', `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, tenant]);
  });

  test('catches in fast mode a bucket shared between two of them, by proving both tenants pairwise', async () => {
    const [owner, grantee] = [...models.keys()].slice(3, 5);
    const planted = cloneStacks(stacks);
    shareBucket(planted, models, owner, grantee);
    const result = await proveStacks(planted);
    expect(leakPairs(result)).toEqual([`${grantee} -> ${owner}`]);
    expect([...result.irregular.keys()].sort()).toEqual([owner, grantee].sort());
  });

  describe('restricted to changed tenants (a pull request)', () => {
    const involves = (pair: string, tenant: string) => pair.split('\u0000').includes(tenant);

    test('proves only pairs with the focus tenant, both ways, and says which tenant it proved', async () => {
      const changed = [...models.keys()][7];
      const result = await proveStacks(stacks, { focus: new Set([changed]) });
      expect(result.findings).toEqual([]);
      expect(result.focus).toEqual([changed]);
      expect(result.simulatedPairs.size).toBeGreaterThan(0);
      for (const pair of result.simulatedPairs) expect([pair, involves(pair, changed)]).toEqual([pair, true]);
      const text = formatResult(result);
      expect(text).toMatch(
        new RegExp(
          `^ok: between ${changed} and every other tenant, neither reaches .*\\(restricted to ${changed}: .* against 19 other tenants; pairs of other tenants not checked`,
        ),
      );
      // Twice the own-access and the sample work, not twenty times: the other tenants' own access is not simulated again.
      expect(result.simulations).toBeLessThan((await proveStacks(stacks)).simulations / 2);
    });

    test('catches a leak planted in the changed tenant, whether it is the grantee or the owner', async () => {
      const [owner, grantee] = [...models.keys()].slice(3, 5);
      const planted = cloneStacks(stacks);
      shareBucket(planted, models, owner, grantee);
      for (const changed of [owner, grantee]) {
        const result = await proveStacks(planted, { focus: new Set([changed]) });
        expect([changed, leakPairs(result)]).toEqual([changed, [`${grantee} -> ${owner}`]]);
      }
    });

    test('a leak every tenant shares is found for the changed tenant, in both directions, and for no pair without it', async () => {
      const changed = [...models.keys()][11];
      const planted = cloneStacks(stacks);
      trustAnyServiceAccountEverywhere(planted);
      const result = await proveStacks(planted, { focus: new Set([changed]) });
      const pairs = leakPairs(result);
      expect(pairs.some((pair) => pair.startsWith(`${changed} -> `))).toBe(true);
      expect(pairs.some((pair) => pair.endsWith(` -> ${changed}`))).toBe(true);
      expect(pairs.filter((pair) => !pair.split(' -> ').includes(changed))).toEqual([]);
    });

    test('refuses a focus tenant that has no stack', async () => {
      await expect(proveStacks(stacks, { focus: new Set(['no-such-tenant']) })).rejects.toThrow(/no tenant stack for no-such-tenant/);
    });
  });

  test('catches in fast mode a leak that every tenant shares (a construct bug), through twins, samples and class representatives', async () => {
    const planted = cloneStacks(stacks);
    trustAnyServiceAccountEverywhere(planted);
    const result = await proveStacks(planted);
    expect(result.irregular.size).toBe(0);
    const reasons = new Set(leaks(result).map((f) => f.reason));
    expect(reasons).toEqual(new Set(['twin', 'sample', 'class representatives']));
    expect(new Set(leaks(result).map((f) => f.check.action))).toEqual(new Set(['sts:AssumeRoleWithWebIdentity']));
  });
});

describe("the EBS CSI driver and the tenants' keys, with the IAM evaluator", () => {
  /** A request of a platform-account role with the driver's role policy on `tenant`'s key, as the key's account sees it. */
  function driverRequest(tenant: string, action: string, context: Record<string, string>, roleName: string = volumeNames('mlp').csiDriverRole): Decision {
    const resolver = new Resolver(stacks);
    const ref = resolver.resources('shared', 'aws_iam_role_policy').find((r) => String(resolver.argument(r, 'name')) === 'volume-keys')!;
    const rolePolicy = JSON.parse(String(resolver.argument(ref, 'policy')));
    const platformAccount = resolver.providerOf('shared').account;
    const key = models.get(tenant)!.keys[0];
    return decide({
      request: {
        principal: `arn:aws:sts::${platformAccount}:assumed-role/${roleName}/volume`,
        action,
        resource: { resource: key.arn, accountId: models.get(tenant)!.accountId },
        contextVariables: { 'aws:PrincipalArn': `arn:aws:iam::${platformAccount}:role/${roleName}`, 'aws:PrincipalAccount': platformAccount, ...context },
      },
      identityPolicies: [{ name: 'volume-keys', policy: rolePolicy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: key.policy.document,
    });
  }
  const ec2 = throughEc2Context('us-east-1');

  test("the driver's role uses a tenant's key only through EC2, and grants it only for AWS resources", () => {
    expect(driverRequest('analytics', 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(driverRequest('analytics', 'kms:GenerateDataKeyWithoutPlaintext', { 'kms:ViaService': ec2['kms:ViaService'] })).toBe('Allowed');
    expect(driverRequest('analytics', 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false' })).not.toBe('Allowed');
    expect(driverRequest('analytics', 'kms:Decrypt', {})).not.toBe('Allowed');
    expect(driverRequest('analytics', 'kms:Decrypt', { 'kms:ViaService': 's3.us-east-1.amazonaws.com' })).not.toBe('Allowed');
    expect(driverRequest('analytics', 'kms:ScheduleKeyDeletion', ec2)).not.toBe('Allowed');
  });

  test('another role of the platform account with the same policy cannot use the key: the key policy names the driver', () => {
    expect(driverRequest('analytics', 'kms:CreateGrant', ec2, karpenterNames('mlp').controllerRole)).not.toBe('Allowed');
  });

  test("another tenant's people and workload roles can neither decrypt with a tenant's key nor grant it to a volume", () => {
    const builder = new RequestBuilder(readPlatformModel(new Resolver(stacks)).model!);
    const [owner, other] = [models.get('analytics')!, models.get('fraud-detection')!];
    const checks = other.roles
      .filter((role) => role.kind === 'people' || role.kind === 'workload')
      .flatMap((role) => builder.keyChecks('deny', other, role, owner, owner.keys[0]));
    expect(checks.map((c) => c.action)).toEqual(['kms:Decrypt', 'kms:CreateGrant', 'kms:Decrypt', 'kms:CreateGrant']);
    for (const check of checks) expect(decide(check.simulation)).not.toBe('Allowed');
    // The owner's own people decrypt with the same request: the checks can fail. (Their boundary denies them grants.)
    const ownPeople = owner.roles.find((role) => role.kind === 'people')!;
    expect(decide(builder.keyChecks('deny', owner, ownPeople, owner, owner.keys[0])[0].simulation)).toBe('Allowed');
  });
});
