import { readPlatformModel, type PlatformModel, type PolicyStatement, type RoleModel, type TenantModel } from '../../proof/model';
import { identifierIndex, irregularities, normalForm, renameTenant, renameTokens, tenantPolicies, tokens, twinRenaming } from '../../proof/normal-form';
import { readSynthDir, Resolver, type JsonObject, type SynthStack } from '../../proof/resolve';
import { culprits, decide, RequestBuilder, type Check } from '../../proof/simulate';
import { cloneStacks, resources, SAMPLE_TENANTS_DIR, synthInto } from './plant';

// One synthesis of the samples serves the model, its normal forms and the requests built from it.
let stacks: SynthStack[];
let model: PlatformModel;

beforeAll(() => {
  stacks = readSynthDir(synthInto(SAMPLE_TENANTS_DIR));
  model = readPlatformModel(new Resolver(stacks)).model as PlatformModel;
});

const tenant = (name: string) => model.tenants.find((t) => t.name === name) as TenantModel;

describe('the security model read from the synthesized samples', () => {
  let tenants: Map<string, TenantModel>;

  beforeAll(() => {
    tenants = new Map(model.tenants.map((t) => [t.name, t]));
  });

  test('reads one model per tenant stack, each in its own account', () => {
    expect([...tenants.keys()]).toEqual(['analytics', 'fraud-detection', 'recsys-inference']);
    expect(new Set([...tenants.values()].map((t) => t.accountId)).size).toBe(3);
  });

  test('keeps the literal id of an adopted account', () => {
    expect(tenants.get('recsys-inference')?.accountId).toBe('333333333333');
  });

  test('tells the workload role (named by the service account) from the people role (trusted by the account)', () => {
    const roles = tenants.get('fraud-detection')?.roles ?? [];
    expect(roles.map((r) => [r.name, r.kind]).sort()).toEqual([
      ['fraud-detection-people', 'people'],
      ['fraud-detection-workload', 'workload'],
      // The platform's deployer in the account, from the StackSet's template: no tenant may assume it.
      ['mlp-deployer', 'platform'],
      // The tenant's metrics writer, trusted only by the platform's exporter: proved like any other role of the tenant.
      ['mlp-fraud-detection-metrics-writer', 'other'],
      // The pipeline's planner in the account, from the same template: proved like any other role of the tenant.
      ['mlp-fraud-detection-planner', 'other'],
    ]);
  });

  test('leaves out roles of the platform account such as the GPU node role', () => {
    expect(tenants.get('fraud-detection')?.roles.map((r) => r.name)).not.toContain('mlp-fraud-detection-gpu-nodes');
  });

  test('attaches the permissions boundary to the people role only', () => {
    const roles = tenants.get('analytics')?.roles ?? [];
    expect(roles.find((r) => r.kind === 'people')?.boundary?.document.Statement.map((s) => s.Sid)).toContain('DenyEditingBucketPolicies');
    expect(roles.find((r) => r.kind === 'workload')?.boundary).toBeUndefined();
  });

  test('pairs every bucket with its bucket policy and public access block', () => {
    const buckets = tenants.get('fraud-detection')?.buckets ?? [];
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      expect(bucket.policy?.document.Statement.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'DenyPrincipalsOutsideTenantAccount']);
      expect(bucket.restrictPublic).toBe(true);
    }
  });

  test('places a vended account under the tenant OU with its service control policies', () => {
    const placement = tenants.get('analytics')?.placement;
    expect(placement?.kind).toBe('known');
    const names = placement?.kind === 'known' ? placement.scps.flatMap((level) => level.policies.map((p) => p.name)) : [];
    expect(names).toEqual(expect.arrayContaining(['mlp-tenant-guardrails', 'mlp-tenant-regions', 'FullAWSAccess']));
  });

  test('does not place an adopted account the organization stack does not move', () => {
    expect(tenants.get('recsys-inference')?.placement.kind).toBe('unknown');
  });

  test('reads the service account with its namespace and the workload role it names', () => {
    const t = tenants.get('analytics') as TenantModel;
    expect(t.serviceAccounts).toEqual([
      expect.objectContaining({ namespace: 'analytics', name: 'analytics-workload', roleArn: t.roles.find((r) => r.kind === 'workload')?.arn }),
    ]);
  });

  test('fails if a tenant role uses a managed policy the stack does not define', () => {
    const planted = cloneStacks(stacks);
    const roleName = Object.keys(resources(planted, 'analytics', 'aws_iam_role')).find((name) => name.startsWith('workload-role')) as string;
    const stack = planted.find((s) => s.name === 'tenant-analytics') as SynthStack;
    (stack.json.resource as JsonObject).aws_iam_role_policy_attachment = {
      extra: { role: `\${aws_iam_role.${roleName}.name}`, policy_arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' },
    };
    const { model, errors } = readPlatformModel(new Resolver(planted));
    expect(model).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^tenant-analytics aws_iam_role_policy_attachment\.extra policy_arn: .*AmazonS3FullAccess.*managed policy that is not defined in this stack/,
      ),
    ]);
  });
});

/** The tenant with one statement added to its workload role's first policy. */
function withWorkloadStatement(t: TenantModel, statement: PolicyStatement): TenantModel {
  return {
    ...t,
    roles: t.roles.map((role) =>
      role.kind !== 'workload'
        ? role
        : {
            ...role,
            identity: role.identity.map((p, i) => (i === 0 ? { ...p, document: { ...p.document, Statement: [...p.document.Statement, statement] } } : p)),
          },
    ),
  };
}

describe('normal forms of tenants', () => {
  let tenants: TenantModel[];
  const get = tenant;

  beforeAll(() => {
    tenants = [...model.tenants];
  });

  test('splits names into tokens at : and /', () => {
    expect(tokens('arn:aws:s3:::mlp-a-data/*')).toEqual(['arn', 'aws', 's3', '', '', 'mlp-a-data', '*']);
  });

  test('renames whole tokens only, never part of a name', () => {
    expect(renameTokens('arn:aws:s3:::team/team-data', new Map([['team', 'X']]))).toBe('arn:aws:s3:::X/team-data');
  });

  test('are equal for two vended tenants with different bucket counts and purposes', () => {
    expect(get('analytics').buckets.map((b) => b.name)).not.toEqual(get('fraud-detection').buckets.map((b) => b.name));
    expect(normalForm(get('analytics'))).toBe(normalForm(get('fraud-detection')));
  });

  test('differ between a vended and an adopted account', () => {
    expect(normalForm(get('recsys-inference'))).not.toBe(normalForm(get('analytics')));
  });

  test('contain no identifier of the tenant', () => {
    const form = normalForm(get('fraud-detection'));
    for (const id of get('fraud-detection').identifiers) expect(tokens(form.replace(/"/g, ':'))).not.toContain(id.value);
  });

  test('leave the samples regular', () => {
    const index = identifierIndex(tenants);
    expect(tenants).toHaveLength(3);
    for (const t of tenants) expect(irregularities(t, index)).toEqual([]);
  });

  test('make a tenant irregular if a policy names another tenant', () => {
    const other = get('fraud-detection').buckets[0];
    const changed = withWorkloadStatement(get('analytics'), { Effect: 'Allow', Action: 's3:GetObject', Resource: `${other.arn}/*` });
    expect(irregularities(changed, identifierIndex(tenants))).toEqual([
      expect.stringContaining(`statement 5 names fraud-detection's bucket:${other.label} ('${other.name}')`),
    ]);
  });

  test('make a tenant irregular if a wildcard sits inside a name, where it could match a longer tenant name', () => {
    const changed = withWorkloadStatement(get('analytics'), { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mlp-analytics*/*' });
    expect(irregularities(changed, identifierIndex(tenants))).toEqual([
      expect.stringMatching(/wildcard inside a name in Resource: 'arn:aws:s3:::mlp-analytics\*\/\*'/),
    ]);
  });

  test('make a tenant irregular if a policy uses a policy variable', () => {
    const changed = withWorkloadStatement(get('analytics'), { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::${aws:username}/*' });
    expect(irregularities(changed, identifierIndex(tenants)).join(' ')).toMatch(/policy variable/);
  });

  test('make a tenant irregular if one of its names is a fixed word of ARNs', () => {
    const t = get('analytics');
    const changed = { ...t, identifiers: [...t.identifiers, { value: 'aws', label: 'tenant' }] };
    expect(irregularities(changed, identifierIndex(tenants)).join(' ')).toMatch(/'aws' is also a fixed word of ARNs/);
  });

  test('make both tenants irregular if they share an identifier', () => {
    const a = get('analytics');
    const shared = { ...a, name: 'copy' };
    const index = identifierIndex([...tenants, shared]);
    expect(irregularities(a, index).join(' ')).toMatch(/also an identifier of copy/);
  });

  test("give a twin fresh identifiers and the original's normal form", () => {
    const t = get('fraud-detection');
    const index = identifierIndex(tenants);
    const twin = renameTenant(t, twinRenaming(t, index, new Set(tenants.map((x) => x.accountId))), 'twin');
    expect(normalForm(twin)).toBe(normalForm(t));
    expect(tenants.map((x) => x.accountId)).not.toContain(twin.accountId);
    const twinTokens = new Set(tenantPolicies(twin).flatMap(({ policy }) => tokens(JSON.stringify(policy.document).replace(/"/g, ':').toLowerCase())));
    for (const value of index.keys()) expect(twinTokens.has(value)).toBe(false);
  });
});

describe('requests the proof asks the IAM evaluator', () => {
  let b: RequestBuilder;
  const role = (t: TenantModel, kind: RoleModel['kind']) => t.roles.find((r) => r.kind === kind) as RoleModel;
  const decision = (check: Check | undefined) => decide((check as Check).simulation);

  beforeAll(() => {
    b = new RequestBuilder(model);
  });

  test("let a pod with the tenant's own service account assume its workload role", () => {
    const a = tenant('analytics');
    expect(decision(b.webIdentityCheck('allow', a.name, 'analytics', 'analytics-workload', a, role(a, 'workload')))).toBe('Allowed');
  });

  test("deny a pod with another tenant's service account in that tenant's namespace", () => {
    const a = tenant('analytics');
    expect(decision(b.webIdentityCheck('deny', 'fraud-detection', 'fraud-detection', 'fraud-detection-workload', a, role(a, 'workload')))).toBe(
      'ImplicitlyDenied',
    );
  });

  test("deny a pod in another namespace that copies the tenant's service account name", () => {
    const a = tenant('analytics');
    expect(decision(b.webIdentityCheck('deny', 'fraud-detection', 'fraud-detection', 'analytics-workload', a, role(a, 'workload')))).toBe('ImplicitlyDenied');
  });

  test("deny assuming the tenant's roles from another tenant's roles", () => {
    const [a, f] = [tenant('analytics'), tenant('fraud-detection')];
    for (const target of a.roles) for (const from of f.roles) expect(decision(b.assumeRoleCheck(f, from, a, target))).not.toBe('Allowed');
  });

  test("let both data roles read, write, list and delete in the tenant's own buckets and decrypt with its key", () => {
    const t = tenant('fraud-detection');
    for (const kind of ['workload', 'people'] as const) {
      const checks = [
        ...t.buckets.flatMap((bucket) => b.bucketChecks('allow', t, role(t, kind), t, bucket)),
        ...t.keys.flatMap((key) => b.keyChecks('allow', t, role(t, kind), t, key)),
      ];
      expect(checks.map((check) => check.action)).toEqual(
        expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 'kms:Decrypt']),
      );
      for (const check of checks) expect([check.action, decide(check.simulation)]).toEqual([check.action, 'Allowed']);
    }
  });

  test("deny another tenant's roles on the tenant's bucket by its bucket policy", () => {
    const [a, r] = [tenant('analytics'), tenant('recsys-inference')];
    const checks = b.bucketChecks('deny', r, role(r, 'people'), a, a.buckets[0]);
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) expect(decide(check.simulation)).toBe('ExplicitlyDenied');
  });

  test('keeps the service control policies in force: own access from a region outside the allow list is denied by them', () => {
    const t = tenant('analytics');
    const [check] = b.bucketChecks('allow', t, role(t, 'workload'), t, t.buckets[0]);
    const elsewhere = {
      ...check.simulation,
      request: { ...check.simulation.request, contextVariables: { ...check.simulation.request.contextVariables, 'aws:RequestedRegion': 'eu-west-1' } },
    };
    expect(decide(check.simulation)).toBe('Allowed');
    expect(decide(elsewhere)).toBe('ExplicitlyDenied');
  });

  test('proves denials of an account the organization stack does not place without SCPs, and its own access with all of them', () => {
    const r = tenant('recsys-inference');
    const [deny] = b.bucketChecks('deny', r, role(r, 'workload'), tenant('analytics'), tenant('analytics').buckets[0]);
    const [allow] = b.bucketChecks('allow', r, role(r, 'workload'), r, r.buckets[0]);
    expect(deny.simulation.serviceControlPolicies).toEqual([]);
    expect(allow.simulation.serviceControlPolicies.flatMap((level) => level.policies.map((p) => p.name))).toEqual(
      expect.arrayContaining(['mlp-tenant-guardrails', 'mlp-tenant-regions']),
    );
  });

  test('names the statements that grant an allowed request, and only those', () => {
    const t = tenant('analytics');
    const workload = role(t, 'workload');
    const [check] = b.bucketChecks('allow', t, workload, t, t.buckets[0]);
    const found = culprits(check.simulation, { identity: workload.identity.map((p) => p.source), resource: t.buckets[0].policy?.source });
    expect(found.map((c) => [c.source, (c.statement as { Sid: string }).Sid])).toEqual([[workload.identity[0].source, 'ReadWriteTenantBuckets']]);
  });
});
