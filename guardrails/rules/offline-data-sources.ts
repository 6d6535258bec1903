import type { Block, Verdict } from '../rule';

/** Data sources computed by Terraform itself, without calling a cloud API at plan time. */
export const LOCAL_DATA_SOURCES: ReadonlySet<string> = new Set([
  'terraform_remote_state',
  'aws_iam_policy_document',
  'aws_partition',
  'aws_region',
  'aws_arn',
  'aws_default_tags',
  'aws_service_principal',
]);

/** No data source calls a cloud API at plan time, so every stack plans offline. */
export function dataSourcesPlanOffline(block: Block): Verdict {
  if (block.kind !== 'data') return undefined;
  if (LOCAL_DATA_SOURCES.has(block.type)) return [];
  return [
    {
      problem: `data source ${block.type} calls the provider's API at plan time, so the stack cannot be planned offline`,
      fix: 'take the value from platform.yaml or the tenant file, or from another stack through a cross-stack reference (terraform_remote_state)',
    },
  ];
}
