import { CeCostAllocationTag } from '@cdktf/provider-aws/lib/ce-cost-allocation-tag';
import { Construct } from 'constructs';

export interface CostAllocationTagsProps {
  /** User-defined tag keys to activate, e.g. `tenant` and `cost-center`. */
  readonly tagKeys: readonly string[];
}

/**
 * Activates tag keys as cost allocation tags in the management account, so Cost Explorer and
 * Budgets can filter the whole organization's spend by them. AWS accepts a key only once it
 * has appeared on a resource in billing data (up to 24 hours after the first tagged resource);
 * before that, the apply of this resource fails and succeeds when rerun.
 */
export class CostAllocationTags extends Construct {
  constructor(scope: Construct, id: string, props: CostAllocationTagsProps) {
    super(scope, id);
    for (const tagKey of props.tagKeys) new CeCostAllocationTag(this, tagKey, { tagKey, status: 'Active' });
  }
}
