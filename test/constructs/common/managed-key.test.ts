/** ManagedKey's key policy, evaluated: the account's own roles may use the key, another account's may not. */
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Testing, TerraformStack } from 'cdktf';
import { ManagedKey } from '../../../constructs/common/managed-key';
import { type PolicyDocument, renderedPolicyDocument } from '../../../constructs/common/policy';
import { decide } from '../../../proof/simulate';

const OWNER = '444444444444';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function keyPolicy(): { policy: PolicyDocument; key: KmsKey } {
  const stack = new TerraformStack(Testing.app(), 'keys');
  new ManagedKey(stack, 'key', { description: 'data', aliasName: 'alias/data', accountId: OWNER });
  const [key] = stack.node.findAll().filter((node): node is KmsKey => node instanceof KmsKey);
  const policy = key?.policyInput === undefined ? undefined : renderedPolicyDocument(key.policyInput);
  if (!key || !policy) throw new Error('ManagedKey wrote no typed key policy');
  return { policy, key };
}

/** A role of `account`, allowed kms:* by its own policy, asking to decrypt with the key. */
function decision(policy: PolicyDocument, account: string): string {
  const principal = `arn:aws:iam::${account}:role/workload`;
  const simulation: Simulation = {
    request: {
      principal,
      action: 'kms:Decrypt',
      resource: { resource: KEY, accountId: OWNER },
      contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': account, 'aws:SecureTransport': 'true' },
    },
    identityPolicies: [{ name: 'kms', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  };
  return decide(simulation);
}

describe('ManagedKey', () => {
  const { policy, key } = keyPolicy();

  test("admits the owner account's roles and no other account's", () => {
    expect(decision(policy, OWNER)).toBe('Allowed');
    expect(decision(policy, '555555555555')).not.toBe('Allowed');
  });

  test('rotates, and Terraform refuses to destroy it', () => {
    expect(key.enableKeyRotationInput).toBe(true);
    expect(key.lifecycle?.preventDestroy).toBe(true);
  });
});
