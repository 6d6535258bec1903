import { type Block, type ResolvedStatement, type Verdict, type Violation } from '../rule';
import { conditionEntries, describeStatement, isAllow, isEveryone } from '../statements';

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
  const readable = block.policies.filter((policy) => policy.statements !== undefined);
  if (readable.length === 0) return undefined;
  const violations: Violation[] = [];
  for (const policy of readable) {
    policy.statements?.forEach((statement, i) => {
      if (!isAllow(statement)) return;
      const everyone = isEveryone(statement.Principal) || statement.NotPrincipal !== undefined;
      if (everyone && !isRestricting(statement)) {
        violations.push({
          problem: `${describeStatement(statement, i)} of ${policy.attribute} allows ${statement.NotPrincipal !== undefined ? 'every principal but a few (NotPrincipal)' : "Principal '*'"} without a condition that restricts who`,
          fix: "name the principals, or add a condition such as { StringEquals: { 'aws:PrincipalOrgID': <organization id> } }",
        });
      }
    });
  }
  return violations;
}
