/**
 * The platform's deployer and planner in a tenant account, read from the synthesized
 * StackSet template as CloudFormation creates them in that account and evaluated with the
 * IAM evaluator: only the management deployer reaches the deployer, only the platform's
 * planners reach the planner and its denies hold, the tenant stack's providers (deploy and
 * plan) reach roles that exist from vending on, and a role named like the organization's
 * access role is a tenant principal like any other.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { TEMPLATE_ROLES, tenantPipelineRoles, type TemplateRole } from '../../constructs/bootstrap/tenant-pipeline-roles-template';
import { accountControlChecks } from '../../proof/accounts';
import { readPlatformModel, readStackSetRoles } from '../../proof/model';
import { readSynthDir, Resolver } from '../../proof/resolve';
import { decide } from '../../proof/simulate';
import { single, synthPlatform, underMode, type StackJson } from '../support/synth';

type Doc = Simulation['identityPolicies'][number]['policy'];
const TENANT = '333333333333';
const MGMT = '111111111111';
const PLAT = '222222222222';
const arn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const ALLOW_ALL: Doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

let stacks: Record<string, StackJson>;
let outdir: string;
let resolver: Resolver;
/** The template's roles as created in the adopted tenant's account, with its instance's parameters. */
let roles: Record<string, TemplateRole>;
beforeAll(() => {
  ({ stacks, outdir } = synthPlatform());
  resolver = new Resolver(readSynthDir(outdir));
  const template = JSON.parse(single(stacks.organization, 'aws_cloudformation_stack_set').template_body);
  const instance = single(stacks['account-recsys-inference'], 'aws_cloudformation_stack_set_instance');
  const created = tenantPipelineRoles(template, TENANT, instance.parameter_overrides, 'organization');
  roles = Object.fromEntries(created.map((role) => [role.logicalId, role]));
});

function assume(callerArn: string, role: TemplateRole): Simulation {
  const [, , , , account, resource] = callerArn.split(':');
  return {
    request: {
      principal: `arn:aws:sts::${account}:assumed-role/${resource.split('/')[1]}/s`,
      action: 'sts:AssumeRole',
      resource: { resource: arn(TENANT, role.roleName), accountId: TENANT },
      contextVariables: { 'aws:PrincipalArn': callerArn, 'aws:PrincipalAccount': account },
    },
    identityPolicies: [{ name: 'caller', policy: ALLOW_ALL }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: role.trust as Doc,
  };
}

function asPlanner(action: string, resource: string): Simulation {
  const planner = roles[TEMPLATE_ROLES.planner];
  return {
    request: {
      principal: `arn:aws:sts::${TENANT}:assumed-role/${planner.roleName}/s`,
      action,
      resource: { resource, accountId: TENANT },
      contextVariables: { 'aws:PrincipalArn': arn(TENANT, planner.roleName), 'aws:PrincipalAccount': TENANT, 'aws:SecureTransport': 'true' },
    },
    identityPolicies: [
      { name: 'anything-attached-later', policy: ALLOW_ALL },
      ...planner.inlinePolicies.map((p) => ({ name: p.name, policy: p.document as Doc })),
    ],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
}

describe("a tenant account's deployer", () => {
  test('is created at vending with AdministratorAccess, and admits only the management account deployer, by exact ARN', () => {
    const deployer = roles[TEMPLATE_ROLES.deployer];
    expect(deployer.roleName).toBe('mlp-deployer');
    expect(deployer.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(decide(assume(arn(MGMT, 'mlp-deployer'), deployer))).toBe('Allowed');
    for (const other of [
      arn(MGMT, 'mlp-planner'),
      arn(MGMT, 'OrganizationAccountAccessRole'),
      arn(PLAT, 'mlp-deployer'),
      arn(TENANT, 'recsys-inference-people'),
      arn(TENANT, 'OrganizationAccountAccessRole'),
      arn('444455556666', 'mlp-deployer'),
    ]) {
      expect([other, decide(assume(other, deployer))]).toEqual([other, 'ImplicitlyDenied']);
    }
  });

  test('the tenant stack deploys through it and plans through the planner, after the management roles; never through the access role', () => {
    const [aws] = stacks['tenant-recsys-inference'].provider!.aws;
    const hops = aws.assume_role as { role_arn: string }[];
    expect(hops.map((hop) => underMode(hop.role_arn, 'deploy'))).toEqual([arn(MGMT, 'mlp-deployer'), arn(TENANT, roles[TEMPLATE_ROLES.deployer].roleName)]);
    expect(hops.map((hop) => underMode(hop.role_arn, 'plan'))).toEqual([arn(MGMT, 'mlp-planner'), arn(TENANT, roles[TEMPLATE_ROLES.planner].roleName)]);
    expect(JSON.stringify(stacks['tenant-recsys-inference'].provider)).not.toContain('OrganizationAccountAccessRole');
    expect(stacks['tenant-recsys-inference'].resource?.aws_iam_role_policy).toBeUndefined();
  });

  test('exists before its tenant stack deploys: the tenant stack depends on the account stack, even for an adopted account that no reference orders', () => {
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
    expect(JSON.stringify(stacks['tenant-recsys-inference'])).not.toContain('cross-stack-reference-input-account-recsys-inference');
    expect(manifest.stacks['tenant-recsys-inference'].dependencies).toContain('account-recsys-inference');
    expect(manifest.stacks['tenant-fraud-detection'].dependencies).toContain('account-fraud-detection');
    expect(manifest.stacks['account-fraud-detection'].dependencies).toContain('organization');
  });
});

describe("a tenant account's planner", () => {
  test('is named after the tenant and trusted by the management and platform planners only', () => {
    const planner = roles[TEMPLATE_ROLES.planner];
    expect(planner.roleName).toBe('mlp-recsys-inference-planner');
    expect(decide(assume(arn(MGMT, 'mlp-planner'), planner))).toBe('Allowed');
    expect(decide(assume(arn(PLAT, 'mlp-planner'), planner))).toBe('Allowed');
    for (const other of [
      arn(MGMT, 'mlp-deployer'),
      arn(TENANT, 'recsys-inference-people'),
      arn(TENANT, 'OrganizationAccountAccessRole'),
      arn('444455556666', 'mlp-planner'),
    ])
      expect([other, decide(assume(other, planner))]).toEqual([other, 'ImplicitlyDenied']);
  });

  test.each([
    ['s3:GetObject', 'arn:aws:s3:::mlp-recsys-inference-datasets-333333333333/x'],
    ['s3:ListBucket', 'arn:aws:s3:::mlp-recsys-inference-datasets-333333333333'],
    ['kms:Decrypt', `arn:aws:kms:us-east-1:${TENANT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ['s3:PutObject', 'arn:aws:s3:::mlp-recsys-inference-datasets-333333333333/x'],
    ['iam:PutRolePolicy', `arn:aws:iam::${TENANT}:role/recsys-inference-workload`],
    ['sts:AssumeRole', arn(TENANT, 'mlp-deployer')],
  ])("is explicitly denied %s on the tenant's own resources, whatever else is attached to it", (action, resource) => {
    expect(decide(asPlanner(action, resource))).toBe('ExplicitlyDenied');
  });

  test('still reads configuration and the state', () => {
    expect(decide(asPlanner('iam:GetRole', `arn:aws:iam::${TENANT}:role/recsys-inference-workload`))).toBe('Allowed');
    expect(decide(asPlanner('s3:GetObject', 'arn:aws:s3:::mlp-terraform-state-222222222222/ml-platform/tenant-recsys-inference.tfstate'))).toBe('Allowed');
  });

  test("a new (vended) tenant's plan-mode chain reaches the planner its account stack's instance creates, which admits the chain's first hop", () => {
    const byAccount = readStackSetRoles(resolver);
    for (const tenant of ['fraud-detection', 'recsys-inference']) {
      const { account } = resolver.providerOf(`tenant-${tenant}`);
      const hops = (stacks[`tenant-${tenant}`].provider!.aws[0].assume_role as { role_arn: string }[]).map((hop) => underMode(hop.role_arn, 'plan'));
      const plannerName = hops[1].split(':role/')[1];
      const planner = byAccount.get(account)?.find((role) => role.name === plannerName);
      expect([tenant, planner?.name]).toEqual([tenant, `mlp-${tenant}-planner`]);
      const first = hops[0];
      const simulation: Simulation = {
        request: {
          principal: `arn:aws:sts::${MGMT}:assumed-role/mlp-planner/s`,
          action: 'sts:AssumeRole',
          resource: { resource: planner!.arn, accountId: account },
          contextVariables: { 'aws:PrincipalArn': first, 'aws:PrincipalAccount': MGMT },
        },
        identityPolicies: [{ name: 'caller', policy: ALLOW_ALL }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: planner!.trust.document as Doc,
      };
      expect([tenant, decide(simulation)]).toEqual([tenant, 'Allowed']);
    }
  });
});

describe("the tenant account's controls", () => {
  test('deny a role named like the organization access role every platform-controlled change, as they deny a tenant administrator, and allow the deployer', () => {
    const { model } = readPlatformModel(resolver);
    const tenant = model!.tenants.find((t) => t.name === 'recsys-inference')!;
    const checks = accountControlChecks(model!, tenant);
    const accessRole = arn(TENANT, 'OrganizationAccountAccessRole');
    const asAccessRole = checks.filter((c) => c.principal === accessRole && c.action !== 'sts:AssumeRole');
    // Nor may it assume the platform's roles: their trust does not name it (an implicit deny is enough there).
    const assumes = checks.filter((c) => c.principal === accessRole && c.action === 'sts:AssumeRole');
    expect(assumes.map((c) => c.resource).sort()).toEqual([arn(TENANT, 'mlp-deployer'), arn(TENANT, 'mlp-recsys-inference-planner')]);
    for (const check of assumes) expect(decide(check.simulation!)).not.toBe('Allowed');
    // The deployer, the planner, the people and workload roles, the boundary, buckets, keys, security services.
    expect(asAccessRole.map((c) => c.resource)).toEqual(
      expect.arrayContaining([arn(TENANT, 'mlp-deployer'), arn(TENANT, 'mlp-recsys-inference-planner'), arn(TENANT, 'recsys-inference-people')]),
    );
    for (const check of asAccessRole)
      expect([check.action, check.resource, decide(check.simulation!)]).toEqual([check.action, check.resource, 'ExplicitlyDenied']);
    const asDeployer = checks.filter((c) => c.principal === arn(TENANT, 'mlp-deployer') && c.expect === 'allow');
    expect(asDeployer.length).toBe(asAccessRole.length);
    for (const check of asDeployer) expect([check.action, check.resource, decide(check.simulation!)]).toEqual([check.action, check.resource, 'Allowed']);
  });
});
