import { tenantNames } from '../../config/names';
import { asRecord, nestedBlocks, type Block, type StackView, type Verdict, type Violation } from '../rule';

const ROLE_ARN_REFERENCE = /^\$\{aws_iam_role\.([^.}]+)\.arn\}$/;

/** The export input of a schedule's target (`{ namespace, writerRoleArn }`), or undefined when its input is no JSON object. */
function exportInput(block: Block): Readonly<Record<string, unknown>> | undefined {
  const input = nestedBlocks(block.config.target)[0]?.input;
  if (typeof input !== 'string') return undefined;
  try {
    return asRecord(JSON.parse(input));
  } catch {
    return undefined;
  }
}

/**
 * A tenant stack's EventBridge Scheduler schedules (the metrics export, docs/metrics.md) pair
 * the tenant's own namespace with a writer role of the same stack in the tenant's own
 * account (the stack's default provider): a schedule that named another namespace, or a role
 * elsewhere, would copy one tenant's metrics into another's account.
 */
export function metricsScheduleOwnTenant(block: Block, stack: StackView): Verdict {
  if (block.kind !== 'resource' || block.type !== 'aws_scheduler_schedule' || stack.tenant === undefined) return undefined;
  const namespace = tenantNames('', '', stack.tenant).namespace;
  const input = exportInput(block);
  if (!input)
    return [
      {
        problem: "the schedule's target input is not the export's JSON object, so whose namespace and account it names cannot be checked",
        fix: `set target.input to {"namespace":"${namespace}","writerRoleArn":"<the stack's metrics writer role ARN>"} (TenantMetricsSchedule does)`,
      },
    ];
  const violations: Violation[] = [];
  if (input.namespace !== namespace) {
    violations.push({
      problem: `the schedule exports namespace '${String(input.namespace)}', not the tenant's own namespace '${namespace}'`,
      fix: `set target.input.namespace to '${namespace}'`,
    });
  }
  const reference = ROLE_ARN_REFERENCE.exec(String(input.writerRoleArn));
  const role = reference ? stack.blocks.find((b) => b.kind === 'resource' && b.type === 'aws_iam_role' && b.name === reference[1]) : undefined;
  if (!role) {
    violations.push({
      problem: `the schedule writes through '${String(input.writerRoleArn)}', which is not a role of this stack, so it may be in another tenant's account`,
      fix: "set target.input.writerRoleArn to the ARN of the stack's own writer role (TenantMetricsWriterRole), by reference",
    });
  } else if (role.config.provider !== undefined) {
    violations.push({
      problem: `the writer role ${role.address} is created with provider ${String(role.config.provider)}, not in the tenant's own account`,
      fix: "create the writer role with the stack's default provider (the tenant account)",
    });
  } else if (typeof role.config.name !== 'string' || !role.config.name.endsWith(`-${stack.tenant}-metrics-writer`)) {
    violations.push({
      problem: `the role ${role.address} ('${String(role.config.name)}') is not the tenant's metrics writer role, which the export checks by name`,
      fix: "name it tenantNames().metricsWriterRole ('<platform>-<tenant>-metrics-writer')",
    });
  }
  return violations;
}
