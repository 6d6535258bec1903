import { TAG } from '../../constructs/common/tags';
import type { Block, StackView, Verdict } from '../rule';

const ALWAYS = [TAG.platform, TAG.costCenter, TAG.managedBy] as const;

/**
 * Every taggable resource carries `platform`, `cost-center` and `managed-by`, and in a
 * tenant stack `tenant` naming that tenant, as Terraform applies them: provider
 * `default_tags` merged with the resource's own `tags`.
 */
export function hasRequiredTags(block: Block, stack: StackView): Verdict {
  if (block.kind !== 'resource' || block.tags === undefined) return undefined;
  if (typeof block.tags === 'string') {
    return [
      {
        problem: `its tags are the expression ${block.tags}, which cannot be checked before apply`,
        fix: 'give tags as a literal map (the required tags come from the provider default_tags)',
      },
    ];
  }
  const tags = block.tags;
  const missing: string[] = ALWAYS.filter((key) => typeof tags[key] !== 'string' || tags[key] === '');
  const violations = [];
  if (missing.length > 0) {
    violations.push({
      problem: `it lacks the tag${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`,
      fix: "create the stack's AWS providers with defaultTags from platformTags() or tenantTags() (constructs/common/tags.ts), and do not override those keys in the resource tags",
    });
  }
  if (stack.tenant !== undefined && tags[TAG.tenant] !== stack.tenant) {
    const actual = tags[TAG.tenant] === undefined ? 'has no tenant tag' : `has tenant tag '${String(tags[TAG.tenant])}'`;
    violations.push({
      problem: `it ${actual}, but the stack belongs to tenant '${stack.tenant}'`,
      fix: `tag it tenant=${stack.tenant}: use tenantTags() for the provider defaultTags`,
    });
  }
  return violations;
}
