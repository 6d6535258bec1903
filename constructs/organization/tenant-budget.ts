import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { Construct } from 'constructs';

export interface TenantBudgetProps {
  readonly budgetName: string;
  /** Account whose costs the budget tracks (a linked account of the organization). */
  readonly accountId: string;
  readonly monthlyUsd: number;
  /** Who is alerted: the tenant's owner. */
  readonly notify: readonly string[];
  /** Percent of actual spend that alerts. @default 80 */
  readonly actualAlertPercent?: number;
  /** Percent of forecast spend that alerts. @default 100 */
  readonly forecastAlertPercent?: number;
  readonly tags: Record<string, string>;
}

/** A monthly cost budget on one tenant account, alerting the owner on actual and forecast spend. */
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
    new BudgetsBudget(this, 'budget', {
      name: props.budgetName,
      budgetType: 'COST',
      limitAmount: props.monthlyUsd.toFixed(2),
      limitUnit: 'USD',
      timeUnit: 'MONTHLY',
      costFilter: [{ name: 'LinkedAccount', values: [props.accountId] }],
      notification: [alert(props.actualAlertPercent ?? 80, 'ACTUAL'), alert(props.forecastAlertPercent ?? 100, 'FORECASTED')],
      tags: props.tags,
    });
  }
}
