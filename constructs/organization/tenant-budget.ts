import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { Construct } from 'constructs';

export interface TenantBudgetProps {
  /** The tenant's budget: its tagged spend in every account. */
  readonly budgetName: string;
  /** The account budget: everything the tenant account spends, tagged or not. */
  readonly accountBudgetName: string;
  /** Account whose costs the account budget tracks (a linked account of the organization). */
  readonly accountId: string;
  /** The cost allocation tag that names the tenant on its resources, e.g. `{ key: 'tenant', value: 'a' }`. */
  readonly tenantTag: { readonly key: string; readonly value: string };
  readonly monthlyUsd: number;
  /** Who is alerted: the tenant's owner. */
  readonly notify: readonly string[];
  /** Percent of actual spend that alerts. @default 80 */
  readonly actualAlertPercent?: number;
  /** Percent of forecast spend that alerts. @default 100 */
  readonly forecastAlertPercent?: number;
  readonly tags: Record<string, string>;
}

/** How AWS Budgets names a cost allocation tag value in a `TagKeyValue` filter: `user:<key>$<value>`. */
export function tagKeyValueFilter(key: string, value: string): string {
  return `user:${key}$${value}`;
}

/**
 * The tenant's monthly budgets, alerting the owner on actual and forecast spend. AWS Budgets
 * ANDs filters of different dimensions (and provider 5.100.0 has no OR expression), so one
 * budget cannot count "the tenant account OR the tenant's nodes in the platform account".
 * The tenant budget therefore filters on the `tenant` cost allocation tag alone, which every
 * resource the platform creates for the tenant carries in every account (the tenant stack's
 * default tags, and the node class tags on its GPU instances, volumes and network interfaces
 * in the platform account). The account budget, with the same limit, catches what the tag
 * cannot: untagged spend in the tenant account (resources its people create by hand).
 */
export class TenantBudget extends Construct {
  constructor(scope: Construct, id: string, props: TenantBudgetProps) {
    super(scope, id);
    const alert = (threshold: number, notificationType: 'ACTUAL' | 'FORECASTED') => ({
      comparisonOperator: 'GREATER_THAN',
      threshold,
      thresholdType: 'PERCENTAGE',
      notificationType,
      subscriberEmailAddresses: [...props.notify],
    });
    const common = {
      budgetType: 'COST',
      limitAmount: props.monthlyUsd.toFixed(2),
      limitUnit: 'USD',
      timeUnit: 'MONTHLY',
      notification: [alert(props.actualAlertPercent ?? 80, 'ACTUAL'), alert(props.forecastAlertPercent ?? 100, 'FORECASTED')],
      tags: props.tags,
    };
    new BudgetsBudget(this, 'budget', {
      ...common,
      name: props.budgetName,
      costFilter: [{ name: 'TagKeyValue', values: [tagKeyValueFilter(props.tenantTag.key, props.tenantTag.value)] }],
    });
    new BudgetsBudget(this, 'account-budget', {
      ...common,
      name: props.accountBudgetName,
      costFilter: [{ name: 'LinkedAccount', values: [props.accountId] }],
    });
  }
}
