/**
 * The tenant account's planner, evaluated on the synthesized adopted tenant (its account id
 * is a literal): only the platform's planners reach it, and it reads no tenant data even
 * with everything else allowed.
 */
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { evaluateTemplate, HclError } from '../../kernel/hcl';
import { decide } from '../../proof/simulate';
import { single, synthPlatform, type StackJson } from '../support/synth';

const TENANT = '333333333333';
const PLANNER = `arn:aws:iam::${TENANT}:role/mlp-recsys-inference-planner`;
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
type Doc = Simulation['identityPolicies'][number]['policy'];

function literal(text: string): Doc {
  return JSON.parse(
    String(
      evaluateTemplate(text, {
        reference: (r) => {
          throw new HclError(`unexpected reference ${r.root}`);
        },
      }),
    ),
  ) as Doc;
}

let stack: StackJson;
beforeAll(() => {
  stack = synthPlatform().stacks['tenant-recsys-inference'];
});

function assume(caller: string): Simulation {
  const account = caller.split(':')[4];
  return {
    request: {
      principal: `arn:aws:sts::${account}:assumed-role/${caller.split('/')[1]}/s`,
      action: 'sts:AssumeRole',
      resource: { resource: PLANNER, accountId: TENANT },
      contextVariables: { 'aws:PrincipalArn': caller, 'aws:PrincipalAccount': account },
    },
    identityPolicies: [{ name: 'caller', policy: ALLOW_ALL }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: literal(single(stack, 'aws_iam_role', 'planner/role').assume_role_policy),
  };
}

function asPlanner(action: string, resource: string): Simulation {
  return {
    request: {
      principal: `arn:aws:sts::${TENANT}:assumed-role/mlp-recsys-inference-planner/s`,
      action,
      resource: { resource, accountId: TENANT },
      contextVariables: { 'aws:PrincipalArn': PLANNER, 'aws:PrincipalAccount': TENANT, 'aws:SecureTransport': 'true' },
    },
    identityPolicies: [
      { name: 'anything-attached-later', policy: ALLOW_ALL },
      { name: 'planner', policy: literal(single(stack, 'aws_iam_role_policy', 'planner/denies').policy) },
    ],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
}

describe("the tenant account's planner", () => {
  test('is named after the tenant and trusted by the management and platform planners only', () => {
    expect(single(stack, 'aws_iam_role', 'planner/role').name).toBe('mlp-recsys-inference-planner');
    expect(decide(assume('arn:aws:iam::111111111111:role/mlp-planner'))).toBe('Allowed');
    expect(decide(assume('arn:aws:iam::222222222222:role/mlp-planner'))).toBe('Allowed');
    expect(decide(assume('arn:aws:iam::111111111111:role/mlp-deployer'))).toBe('ImplicitlyDenied');
    expect(decide(assume(`arn:aws:iam::${TENANT}:role/recsys-inference-people`))).toBe('ImplicitlyDenied');
    expect(decide(assume('arn:aws:iam::444455556666:role/mlp-planner'))).toBe('ImplicitlyDenied');
  });

  test.each([
    ['s3:GetObject', 'arn:aws:s3:::mlp-recsys-inference-datasets-333333333333/x'],
    ['s3:ListBucket', 'arn:aws:s3:::mlp-recsys-inference-datasets-333333333333'],
    ['kms:Decrypt', `arn:aws:kms:us-east-1:${TENANT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ['s3:PutObject', 'arn:aws:s3:::mlp-recsys-inference-datasets-333333333333/x'],
    ['iam:PutRolePolicy', `arn:aws:iam::${TENANT}:role/recsys-inference-workload`],
  ])("is explicitly denied %s on the tenant's own resources", (action, resource) => {
    expect(decide(asPlanner(action, resource))).toBe('ExplicitlyDenied');
  });

  test('still reads configuration', () => {
    expect(decide(asPlanner('iam:GetRole', `arn:aws:iam::${TENANT}:role/recsys-inference-workload`))).toBe('Allowed');
  });

  test("is one of the account's platform-managed roles in its SCP, so the tenant cannot change it", () => {
    const org = synthPlatform().stacks['account-recsys-inference'];
    const controls = String(single(org, 'aws_organizations_policy', 'recsys-inference-account').content);
    expect(controls).toContain(PLANNER);
  });
});
