/**
 * Runs a rule pack over one stack: every rule on every block, suppressions applied, and
 * each finding attached to the construct that produced the block.
 */
import type { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { stackView, synthesizedBlocks } from './blocks';
import type { Block, GuardrailRule, Severity, Verdict } from './rule';
import { SUPPRESSION_CHECK, suppressionsOf } from './suppressions';
import type { TenantDirectory } from './tenants';

export interface GuardrailFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly stack: string;
  readonly path: string;
  /** Terraform address, e.g. `aws_s3_bucket.buckets_datasets_7275800A`. */
  readonly address: string;
  readonly problem: string;
  readonly fix: string;
}

export interface SuppressionRecord {
  readonly ruleId: string;
  readonly reason: string;
  readonly stack: string;
  readonly path: string;
  readonly address: string;
  /** Violations it hid; 0 means it is unused. */
  readonly hidden: number;
}

export interface StackResult {
  readonly stack: string;
  /** By rule id: how many blocks the rule applied to. */
  readonly checked: Readonly<Record<string, number>>;
  readonly findings: readonly GuardrailFinding[];
  readonly suppressions: readonly SuppressionRecord[];
}

export interface CheckScope {
  /** Set for a tenant stack. */
  readonly tenant?: string;
  readonly tenants: TenantDirectory;
}

export interface AttributedFinding {
  readonly finding: GuardrailFinding;
  readonly element: IConstruct;
}

/** The one line a finding reads as, in annotations, the synth error and the report. */
export function formatFinding(finding: GuardrailFinding): string {
  return `${finding.ruleId} in stack '${finding.stack}' at ${finding.path} (${finding.address}): ${finding.problem}. Fix: ${finding.fix}`;
}

function finding(rule: { id: string }, severity: Severity, stack: string, block: Block, problem: string, fix: string): GuardrailFinding {
  return { ruleId: rule.id, severity, stack, path: block.path, address: block.address, problem, fix };
}

export function checkStack(stack: TerraformStack, pack: readonly GuardrailRule[], scope: CheckScope): { result: StackResult; attributed: AttributedFinding[] } {
  const stackName = stack.node.id;
  const stackBlocks = synthesizedBlocks(stack);
  const view = stackView(
    stackName,
    stackBlocks.map((entry) => entry.block),
    scope.tenants,
    scope.tenant,
  );
  const ruleIds = new Set(pack.map((rule) => rule.id));
  const checked: Record<string, number> = Object.fromEntries(pack.map((rule) => [rule.id, 0]));
  const attributed: AttributedFinding[] = [];
  const suppressions: SuppressionRecord[] = [];
  const report = (element: IConstruct, found: GuardrailFinding) => attributed.push({ finding: found, element });
  const seenElements = new Set<IConstruct>();

  for (const { block, element } of stackBlocks) {
    // An element may produce several blocks (a provider and its required_providers); suppressions belong to the element once.
    const firstBlockOfElement = !seenElements.has(element);
    seenElements.add(element);
    const active = new Map<string, { reason: string; hidden: number }>();
    if (firstBlockOfElement) {
      for (const suppression of suppressionsOf(element)) {
        if (!ruleIds.has(suppression.ruleId)) {
          report(
            element,
            finding(
              SUPPRESSION_CHECK,
              'error',
              stackName,
              block,
              `suppression names '${suppression.ruleId}', which is not a rule of the pack`,
              `use one of ${[...ruleIds].join(', ')}`,
            ),
          );
        } else if (suppression.reason.trim() === '') {
          report(
            element,
            finding(
              SUPPRESSION_CHECK,
              'error',
              stackName,
              block,
              `suppression of ${suppression.ruleId} gives no reason, so it does not apply`,
              'write why the rule does not hold for this resource as the reason of suppressRule',
            ),
          );
        } else {
          active.set(suppression.ruleId, { reason: suppression.reason.trim(), hidden: 0 });
        }
      }
    }
    for (const rule of pack) {
      let verdict: Verdict;
      try {
        verdict = rule.check(block, view);
      } catch (error) {
        report(
          element,
          finding(
            rule,
            'error',
            stackName,
            block,
            `the rule could not check this block (${(error as Error).message})`,
            'report this as a bug of the guardrail rule',
          ),
        );
        continue;
      }
      if (verdict === undefined) continue;
      checked[rule.id] += 1;
      const suppression = active.get(rule.id);
      for (const violation of verdict) {
        if (suppression) suppression.hidden += 1;
        else report(element, finding(rule, rule.severity, stackName, block, violation.problem, violation.fix));
      }
    }
    for (const [ruleId, { reason, hidden }] of active) {
      suppressions.push({ ruleId, reason, stack: stackName, path: block.path, address: block.address, hidden });
      if (hidden === 0) {
        report(
          element,
          finding(
            SUPPRESSION_CHECK,
            'warning',
            stackName,
            block,
            `suppression of ${ruleId} hides nothing: the block complies or the rule does not apply`,
            `remove the suppressRule call for ${ruleId}`,
          ),
        );
      }
    }
  }
  return { result: { stack: stackName, checked, findings: attributed.map((entry) => entry.finding), suppressions }, attributed };
}
