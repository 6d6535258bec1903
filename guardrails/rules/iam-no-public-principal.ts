import type { Block, ResolvedStatement, Verdict } from '../rule';
import { checkAllowStatements, conditionEntries, describeStatement, isEveryone } from '../statements';

/** Condition keys that tie a request to the organization, an account, a principal, a source or a network. */
const RESTRICTING_KEYS = new Set(
  [
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:SourceAccount',
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceIp',
  ].map((key) => key.toLowerCase()),
);

/** Operators that admit only matching requests. Negations admit everyone else; `IfExists` and `ForAllValues` admit requests without the key. */
const RESTRICTING_OPERATOR = /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress)$/;

function isRestricting(statement: ResolvedStatement): boolean {
  return conditionEntries(statement.Condition).some(
    (entry) =>
      RESTRICTING_OPERATOR.test(entry.operator) &&
      RESTRICTING_KEYS.has(entry.key.toLowerCase()) &&
      entry.values.length > 0 &&
      entry.values.every((value) => typeof value === 'string' && value !== '' && value !== '*'),
  );
}

/** No statement allows everyone (`Principal: "*"`, or any principal but a few) without a condition that restricts who. */
export function iamNoPublicPrincipal(block: Block): Verdict {
  return checkAllowStatements(block, (statement, i, attribute) => {
    const everyone = isEveryone(statement.Principal) || statement.NotPrincipal !== undefined;
    if (!everyone || isRestricting(statement)) return undefined;
    return {
      problem: `${describeStatement(statement, i)} of ${attribute} allows ${statement.NotPrincipal !== undefined ? 'every principal but a few (NotPrincipal)' : "Principal '*'"} without a condition that restricts who`,
      fix: "name the principals, or add a condition such as { StringEquals: { 'aws:PrincipalOrgID': <organization id> } }",
    };
  });
}
