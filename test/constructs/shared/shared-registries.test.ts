/** The shared registries' repository policy, evaluated: the organization pulls, nobody outside it, nobody pushes. */
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { Testing, TerraformStack } from 'cdktf';
import { type PolicyDocument, renderedPolicyDocument } from '../../../constructs/common/policy';
import { ECR_PULL_ACTIONS, SharedRegistries } from '../../../constructs/shared/shared-registries';
import { decide } from '../../../proof/simulate';

const PLATFORM_ACCOUNT = '222222222222';
const ORGANIZATION = 'o-a1b2c3d4e5';
const REPOSITORY = `arn:aws:ecr:us-east-1:${PLATFORM_ACCOUNT}:repository/mlp/base`;

/** The typed repository policies the construct writes, one per repository. */
function repositoryPolicies(): PolicyDocument[] {
  const stack = new TerraformStack(Testing.app(), 'registries');
  new SharedRegistries(stack, 'registries', {
    namePrefix: 'mlp',
    repositories: ['base', 'cuda'],
    region: 'us-east-1',
    accountId: PLATFORM_ACCOUNT,
    organizationId: ORGANIZATION,
    kmsKeyArn: `arn:aws:kms:us-east-1:${PLATFORM_ACCOUNT}:key/k`,
  });
  return stack.node
    .findAll()
    .filter((node): node is EcrRepositoryPolicy => node instanceof EcrRepositoryPolicy)
    .map((policy) => {
      const document = policy.policyInput === undefined ? undefined : renderedPolicyDocument(policy.policyInput);
      if (!document) throw new Error(`${policy.node.path}: the policy is not a typed document`);
      return document;
    });
}

/** A role of `account` (in organization `orgId`), allowed `action` by its own policy, on the repository. */
function decision(policy: PolicyDocument, account: string, orgId: string, action: string): string {
  const principal = `arn:aws:iam::${account}:role/tenant-workload`;
  const simulation: Simulation = {
    request: {
      principal,
      action,
      resource: { resource: REPOSITORY, accountId: PLATFORM_ACCOUNT },
      contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': account, 'aws:PrincipalOrgID': orgId, 'aws:SecureTransport': 'true' },
    },
    identityPolicies: [{ name: 'pull', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  };
  return decide(simulation);
}

describe('SharedRegistries repository policy, evaluated', () => {
  const policies = repositoryPolicies();

  test('one policy per repository', () => {
    expect(policies).toHaveLength(2);
  });

  test('lets a role of another account of the organization pull every pull action', () => {
    for (const action of ECR_PULL_ACTIONS) {
      expect([action, decision(policies[0], '444444444444', ORGANIZATION, action)]).toEqual([action, 'Allowed']);
    }
  });

  test('refuses a role outside the organization, and a push from inside it', () => {
    expect(decision(policies[0], '999999999999', 'o-other00000', 'ecr:BatchGetImage')).not.toBe('Allowed');
    expect(decision(policies[0], '444444444444', ORGANIZATION, 'ecr:PutImage')).not.toBe('Allowed');
  });
});
