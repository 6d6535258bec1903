/**
 * The platform's deployer in a tenant account, evaluated on the synthesized output with the
 * IAM evaluator: the tenant stack deploys through it, only the management account's deployer
 * may assume it, and the tenant's own people cannot change it (its account's SCP).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { HclError, evaluateTemplate } from '../../kernel/hcl';
import { decide } from '../../proof/simulate';
import { single, synthPlatform, underMode, type StackJson } from '../support/synth';

type Doc = Simulation['identityPolicies'][number]['policy'];
const TENANT = '333333333333';
const MGMT = '111111111111';
const PLAT = '222222222222';
const arn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const ALLOW_ALL: Doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

function literal(text: string): Doc {
  const value = evaluateTemplate(text, {
    reference: (r) => {
      throw new HclError(`unexpected reference ${r.root}`);
    },
  });
  return JSON.parse(String(value)) as Doc;
}

let stacks: Record<string, StackJson>;
let outdir: string;
beforeAll(() => {
  ({ stacks, outdir } = synthPlatform());
});

function assume(callerArn: string, target: string, trust: Doc): Simulation {
  const [, , , , account, resource] = callerArn.split(':');
  return {
    request: {
      principal: `arn:aws:sts::${account}:assumed-role/${resource.split('/')[1]}/s`,
      action: 'sts:AssumeRole',
      resource: { resource: target, accountId: TENANT },
      contextVariables: { 'aws:PrincipalArn': callerArn, 'aws:PrincipalAccount': account },
    },
    identityPolicies: [{ name: 'all', policy: ALLOW_ALL }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trust,
  };
}

describe("a tenant account's deployer", () => {
  test('the tenant stack deploys through it (after the management deployer), and plans through its planner', () => {
    const [aws] = stacks['tenant-recsys-inference'].provider!.aws;
    const hops = aws.assume_role as { role_arn: string }[];
    expect(hops.map((hop) => underMode(hop.role_arn, 'deploy'))).toEqual([arn(MGMT, 'mlp-deployer'), arn(TENANT, 'mlp-deployer')]);
    expect(hops.map((hop) => underMode(hop.role_arn, 'plan'))).toEqual([arn(MGMT, 'mlp-planner'), arn(TENANT, 'mlp-recsys-inference-planner')]);
    expect(JSON.stringify(stacks['tenant-recsys-inference'].provider)).not.toContain('OrganizationAccountAccessRole');
  });

  test('exists before its tenant stack deploys: the tenant stack depends on the account stack, even for an adopted account that no reference orders', () => {
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
    expect(JSON.stringify(stacks['tenant-recsys-inference'])).not.toContain('cross-stack-reference-input-account-recsys-inference');
    expect(manifest.stacks['tenant-recsys-inference'].dependencies).toContain('account-recsys-inference');
    expect(manifest.stacks['tenant-fraud-detection'].dependencies).toContain('account-fraud-detection');
  });

  test('admits only the management account deployer, by exact ARN', () => {
    const role = single(stacks['account-recsys-inference'], 'aws_iam_role', 'deployer');
    const trust = literal(role.assume_role_policy);
    const target = arn(TENANT, role.name);
    expect(decide(assume(arn(MGMT, 'mlp-deployer'), target, trust))).toBe('Allowed');
    for (const other of [
      arn(MGMT, 'mlp-planner'),
      arn(MGMT, 'OrganizationAccountAccessRole'),
      arn(PLAT, 'mlp-deployer'),
      arn(TENANT, 'recsys-inference-people'),
      arn(TENANT, 'OrganizationAccountAccessRole'),
    ]) {
      expect([other, decide(assume(other, target, trust))]).toEqual([other, 'ImplicitlyDenied']);
    }
  });

  test.each(['mlp-deployer', 'OrganizationAccountAccessRole'])("the tenant's people cannot change the trust of %s; the platform's deployer can", (target) => {
    const scp = literal(single(stacks['account-recsys-inference'], 'aws_organizations_policy', 'platform-controls').content);
    const change = (callerArn: string): Simulation => ({
      request: {
        principal: `arn:aws:sts::${TENANT}:assumed-role/${callerArn.split('/')[1]}/s`,
        action: 'iam:UpdateAssumeRolePolicy',
        resource: { resource: arn(TENANT, target), accountId: TENANT },
        contextVariables: { 'aws:PrincipalArn': callerArn, 'aws:PrincipalAccount': TENANT },
      },
      identityPolicies: [{ name: 'all', policy: ALLOW_ALL }],
      serviceControlPolicies: [
        {
          orgIdentifier: TENANT,
          policies: [
            { name: 'all', policy: ALLOW_ALL },
            { name: 'controls', policy: scp },
          ],
        },
      ],
      resourceControlPolicies: [],
    });
    expect(decide(change(arn(TENANT, 'recsys-inference-people')))).toBe('ExplicitlyDenied');
    expect(decide(change(arn(TENANT, 'mlp-deployer')))).toBe('Allowed');
  });
});
