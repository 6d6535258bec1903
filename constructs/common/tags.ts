/**
 * Tags every taggable resource carries, applied through provider `default_tags` so that no
 * resource can forget them. The guardrails check the merged result.
 */
export const TAG = {
  tenant: 'tenant',
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
