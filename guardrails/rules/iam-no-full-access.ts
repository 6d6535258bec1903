import { asStringList, type Block, type Verdict, type Violation } from '../rule';
import { coversAllActions, describeStatement, isAllow } from '../statements';

/** No policy statement allows every action on every resource. */
export function iamAllowsNoFullAccess(block: Block): Verdict {
  const readable = block.policies.filter((policy) => policy.statements !== undefined);
  if (readable.length === 0) return undefined;
  const violations: Violation[] = [];
  for (const policy of readable) {
    policy.statements?.forEach((statement, i) => {
      if (!isAllow(statement)) return;
      const everyResource = asStringList(statement.Resource).includes('*') || statement.NotResource !== undefined;
      const everyAction = coversAllActions(statement.Action) || statement.NotAction !== undefined;
      if (everyAction && everyResource) {
        violations.push({
          problem: `${describeStatement(statement, i)} of ${policy.attribute} allows ${statement.NotAction !== undefined ? 'every action but a few (NotAction)' : "'*'"} on ${statement.NotResource !== undefined ? 'every resource but a few (NotResource)' : "'*'"}`,
          fix: 'list the actions the principal needs, and scope Resource to the ARNs it needs them on',
        });
      }
    });
  }
  return violations;
}
