import type { Block, Verdict } from '../rule';

/** Every policy document can be read before apply, so the IAM rules check all of them. */
export function iamPoliciesReadable(block: Block): Verdict {
  if (block.policies.length === 0) return undefined;
  return block.policies
    .filter((policy) => policy.statements === undefined)
    .map((policy) => ({
      problem: `${policy.attribute} is a Terraform expression the guardrails cannot read, so its statements go unchecked`,
      fix: 'build the document with policyDocument() and renderPolicy() from constructs/common/policy.ts, or give literal JSON',
    }));
}
