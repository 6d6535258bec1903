import { WELL_KNOWN_ACCESS_ROLE_NAMES } from '../../config/names';
import type { Block, StackView, Verdict, Violation } from '../rule';
import { conditionEntries, describeStatement, isDeny } from '../statements';

/** Negated matches on who is asking: the principals a Deny statement exempts. */
const EXEMPTING = /^(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike|ArnNotEquals|ArnNotLike)(IfExists)?$/;
const EXACT_OPERATOR = /^(StringNotEquals|ArnNotEquals)$/;
/** Keys AWS sets from facts a tenant cannot choose (its account and organization, AWS services): exempting by them is fine. */
const FIXED_BY_AWS = new Set([
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalisawsservice',
  'aws:principalservicename',
  'aws:principalservicenameslist',
]);
/** Keys that say who is asking; among them only an exact aws:PrincipalArn names a principal a tenant cannot make. */
function identifiesPrincipal(key: string): boolean {
  const k = key.toLowerCase();
  if (FIXED_BY_AWS.has(k)) return false;
  return k === '' || k.startsWith('aws:principal') || ['aws:userid', 'aws:username', 'aws:sourceidentity', 'sts:rolesessionname'].includes(k);
}
/** One role in one account: a literal 12-digit id or a reference to one, and no wildcard. */
const EXACT_ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|\$\{[^}*?]+\}):role\/[\w+=,.@/-]+$/;

/** The organization access role names: the well-known ones and any a vended account of the stack is given (`role_name`). */
function accessRoleNames(stack: StackView | undefined): Set<string> {
  const names = new Set(WELL_KNOWN_ACCESS_ROLE_NAMES);
  for (const b of stack?.blocks ?? []) {
    const name = b.type === 'aws_organizations_account' ? b.config.role_name : undefined;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

/**
 * A control policy (SCP or RCP) exempts only exact role ARNs from its denies, and never the
 * organization's access role. A pattern (`arn:aws:iam::*:role/Admin`) or another key
 * (`aws:PrincipalTag`, `aws:userid`) matches principals a tenant can create or shape itself;
 * the access role of an adopted account was made by its previous owner, who chose its trust.
 */
export function controlPoliciesExemptExactRoles(block: Block, stack?: StackView): Verdict {
  if (block.type !== 'aws_organizations_policy') return undefined;
  const readable = block.policies.filter((policy) => policy.statements !== undefined);
  if (readable.length === 0) return undefined;
  const violations: Violation[] = [];
  const fix =
    'exempt the exact ARN of a role the platform created in that account, with StringNotEquals on aws:PrincipalArn (see constructs/organization/platform-controls.ts)';
  for (const policy of readable) {
    policy.statements?.forEach((statement, i) => {
      if (!isDeny(statement)) return;
      for (const entry of conditionEntries(statement.Condition)) {
        if (!EXEMPTING.test(entry.operator) || !identifiesPrincipal(entry.key)) continue;
        const where = `${describeStatement(statement, i)} of ${policy.attribute}`;
        if (entry.key.toLowerCase() !== 'aws:principalarn') {
          violations.push({
            problem: `${where} exempts principals by ${entry.key || 'a computed condition'}, which a tenant can give principals it creates`,
            fix,
          });
          continue;
        }
        if (!EXACT_OPERATOR.test(entry.operator)) {
          violations.push({ problem: `${where} exempts principals with ${entry.operator}, which matches patterns`, fix });
        }
        for (const value of entry.values) {
          if (typeof value !== 'string' || !EXACT_ROLE_ARN.test(value)) {
            violations.push({ problem: `${where} exempts '${String(value)}', which is not one role in one account`, fix });
          } else if (accessRoleNames(stack).has(value.split('/').pop() ?? '')) {
            violations.push({
              problem: `${where} exempts '${value}', the organization access role, which an adopted account's previous owner made and may let anyone assume`,
              fix: "exempt only the platform's own pipeline roles; the platform reaches tenant accounts through its deployer, created by the StackSet (docs/accounts.md)",
            });
          }
        }
      }
    });
  }
  return violations;
}
