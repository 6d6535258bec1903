import { asStringList, type Block, type Verdict } from '../rule';
import { checkAllowStatements, coversAllActions, describeStatement } from '../statements';

/** No policy statement allows every action on every resource. */
export function iamAllowsNoFullAccess(block: Block): Verdict {
  return checkAllowStatements(block, (statement, i, attribute) => {
    const everyResource = asStringList(statement.Resource).includes('*') || statement.NotResource !== undefined;
    const everyAction = coversAllActions(statement.Action) || statement.NotAction !== undefined;
    if (!everyAction || !everyResource) return undefined;
    return {
      problem: `${describeStatement(statement, i)} of ${attribute} allows ${statement.NotAction !== undefined ? 'every action but a few (NotAction)' : "'*'"} on ${statement.NotResource !== undefined ? 'every resource but a few (NotResource)' : "'*'"}`,
      fix: 'list the actions the principal needs, and scope Resource to the ARNs it needs them on',
    };
  });
}
