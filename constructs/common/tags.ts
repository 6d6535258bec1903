/**
 * Tags every taggable resource carries, applied through provider `default_tags` so that no
 * resource can forget them. The guardrails check the merged result.
 */
import { TENANT_LABEL } from '../../config/names';

/** The tenant tag key is the tenant label key of the cluster (config/names.ts), one name for one concept. */
export const TAG = {
  tenant: TENANT_LABEL,
  platform: 'platform',
  costCenter: 'cost-center',
  managedBy: 'managed-by',
} as const;

export const MANAGED_BY = 'ml-platform-blueprint';

/** Cost center of resources that serve every tenant. */
export const PLATFORM_COST_CENTER = 'platform';

export function platformTags(platformName: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...extra, [TAG.platform]: platformName, [TAG.costCenter]: PLATFORM_COST_CENTER, [TAG.managedBy]: MANAGED_BY };
}

export function tenantTags(
  platformName: string,
  tenant: { readonly name: string; readonly costCenter: string },
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return { ...extra, [TAG.platform]: platformName, [TAG.tenant]: tenant.name, [TAG.costCenter]: tenant.costCenter, [TAG.managedBy]: MANAGED_BY };
}
