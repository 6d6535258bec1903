/**
 * Suppressing a guardrail rule for one resource, with a written reason, in code next to
 * the resource. The suppression is metadata on the resource's construct, so it travels
 * with the resource and nowhere else; every suppression is listed in the report.
 */
import { TerraformDataSource, TerraformElement, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

const SUPPRESSION_METADATA = 'ml-platform/guardrail-suppression';

export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Pseudo-rule under which problems with suppressions are reported: a missing reason or an
 * unknown rule id is an error, a suppression that hides nothing is a warning.
 */
export const SUPPRESSION_CHECK = {
  id: 'MLP-SUPPRESS',
  description: 'Suppressions name a rule of the pack, give a reason and hide a failure',
} as const;

function isResourceOrData(node: IConstruct): node is TerraformElement {
  return TerraformResource.isTerraformResource(node) || TerraformDataSource.isTerraformDataSource(node);
}

/** The one Terraform element a suppression is for: the target itself, or the only resource inside it. */
function singleElement(target: IConstruct, ruleId: string): TerraformElement {
  if (TerraformElement.isTerraformElement(target)) return target;
  const inside = target.node.findAll().filter(isResourceOrData);
  if (inside.length === 1) return inside[0];
  const held = inside.length === 0 ? 'holds no resource' : `holds ${inside.length} resources (${inside.map((e) => e.node.path).join(', ')})`;
  throw new Error(`suppressRule(${target.node.path}, ${ruleId}): ${held}; pass the one resource the suppression is for`);
}

/**
 * Suppresses `ruleId` for one resource (or the only resource inside `target`). `reason`
 * says why the rule does not apply here; without one the suppression is itself an error.
 */
export function suppressRule(target: IConstruct, ruleId: string, reason: string): void {
  singleElement(target, ruleId).node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason });
}

export function suppressionsOf(element: IConstruct): Suppression[] {
  return element.node.metadata
    .filter((entry) => entry.type === SUPPRESSION_METADATA)
    .map((entry) => {
      const data = entry.data as { ruleId?: unknown; reason?: unknown };
      return { ruleId: String(data.ruleId ?? ''), reason: typeof data.reason === 'string' ? data.reason : '' };
    });
}
