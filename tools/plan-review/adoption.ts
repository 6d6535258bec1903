/**
 * Adopting an existing account hands the pipeline that account: its SCPs, roles, identity
 * provider and budget alerts. The onboarding register proves the platform team took the
 * account in, but the review still asks a platform owner to look at every new or changed
 * adoption (CODEOWNERS makes the owner's approval required for the register).
 */
import type { TenantFacts } from './tenant-facts';

export interface AdoptionFinding {
  readonly level: 'attention';
  readonly text: string;
}

/** The finding for a tenant whose adopted account is new or changed, if any. */
export function adoptionFinding(name: string, head: TenantFacts, base: TenantFacts | undefined): AdoptionFinding | undefined {
  if (head.account.kind !== 'adopted') return undefined;
  const before = base?.account.kind === 'adopted' ? base.account.id : undefined;
  if (before === head.account.id) return undefined;
  const change = before === undefined ? `adopts the existing account ${head.account.id}` : `changes its adopted account from ${before} to ${head.account.id}`;
  return {
    level: 'attention',
    text: `\`${name}\` ${change}: **needs a platform owner's approval** (the account must be in the onboarding OU and registered for this tenant in tenants/onboarding/adopted-accounts.yaml; see docs/accounts.md)`,
  };
}
