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

/**
 * Unique ids of the resources the tenant's account stack holds for it (its vended account),
 * from the built stack, else from `unbuilt` (an incremental synth's tenants it does not build).
 */
function accountIdsOf(stacks: PlatformStacks, tenant: string, unbuilt?: (tenant: string) => readonly string[]): readonly string[] {
  const stack = stacks.accounts.find((s) => s.tenant.name === tenant);
  if (!stack) {
    if (unbuilt) return unbuilt(tenant);
    throw new Error(`no account stack for tenant '${tenant}'`);
  }
  return stack.account.node
    .findAll()
    .filter(TerraformResource.isTerraformResource)
    .map((resource) => resource.friendlyUniqueId);
}

/**
 * Applies the platform pack to every stack built; tenant stacks also get the cross-tenant
 * rule's directory, which holds every tenant of `config`, built or not (`unbuilt` gives the
 * account resource ids of a tenant whose stacks were not built).
 */
export function applyPlatformGuardrails(stacks: PlatformStacks, config: LoadedConfig, unbuilt?: (tenant: string) => readonly string[]): void {
  const tenants = new TenantDirectory(config.tenants.map((tenant) => tenantIdentity(config.platform, tenant, accountIdsOf(stacks, tenant.name, unbuilt))));
  for (const stack of platformWideStacks(stacks)) applyGuardrails(stack, { tenants });
  for (const stack of [...stacks.accounts, ...stacks.tenants]) applyGuardrails(stack, { tenant: stack.tenant.name, tenants });
}

/** Builds every stack of the platform and applies the guardrails to each. */
export function buildCheckedPlatform(app: App, config: LoadedConfig): PlatformStacks {
  const stacks = buildPlatform(app, config);
  applyPlatformGuardrails(stacks, config);
  return stacks;
}

/**
 * Builds the platform-wide stacks and the stacks of the `only` tenants, with the guardrails
 * of a full build: the cross-tenant rule still knows every tenant of `config`.
 */
export function buildCheckedTenants(app: App, config: LoadedConfig, only: ReadonlySet<string>, unbuilt: (tenant: string) => readonly string[]): PlatformStacks {
  const stacks = buildPlatform(app, { ...config, tenants: config.tenants.filter((tenant) => only.has(tenant.name)) });
  applyPlatformGuardrails(stacks, config, unbuilt);
  return stacks;
}
