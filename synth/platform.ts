/**
 * The platform as every synth builds it: the stacks of stacks/platform.ts with the
 * guardrail pack applied to each. Kept here, above both, so that the stacks do not import
 * the checks that read them.
 */
import { TerraformResource, type App } from 'cdktf';
import type { LoadedConfig } from '../config/load';
import { applyGuardrails } from '../guardrails/aspect';
import { TenantDirectory, tenantIdentity } from '../guardrails/tenants';
import { buildPlatform, platformWideStacks, type PlatformStacks } from '../stacks/platform';

/** Unique ids of the resources the tenant's account stack holds for it (its vended account). */
function accountIdsOf(stacks: PlatformStacks, tenant: string): string[] {
  const stack = stacks.accounts.find((s) => s.tenant.name === tenant);
  if (!stack) throw new Error(`no account stack for tenant '${tenant}'`);
  return stack.account.node
    .findAll()
    .filter(TerraformResource.isTerraformResource)
    .map((resource) => resource.friendlyUniqueId);
}

/** Applies the platform pack to every stack of the platform; tenant stacks also get the cross-tenant rule's directory. */
export function applyPlatformGuardrails(stacks: PlatformStacks, config: LoadedConfig): void {
  const tenants = new TenantDirectory(config.tenants.map((tenant) => tenantIdentity(config.platform, tenant, accountIdsOf(stacks, tenant.name))));
  for (const stack of platformWideStacks(stacks)) applyGuardrails(stack, { tenants });
  for (const stack of [...stacks.accounts, ...stacks.tenants]) applyGuardrails(stack, { tenant: stack.tenant.name, tenants });
}

/** Builds every stack of the platform and applies the guardrails to each. */
export function buildCheckedPlatform(app: App, config: LoadedConfig): PlatformStacks {
  const stacks = buildPlatform(app, config);
  applyPlatformGuardrails(stacks, config);
  return stacks;
}
