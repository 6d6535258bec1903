/** Composes the platform's stacks from the loaded configuration (synth/platform.ts adds the guardrails). */
import type { App } from 'cdktf';
import type { LoadedConfig } from '../config/load';
import { OrganizationStack } from './organization-stack';
import { SharedK8sStack } from './shared-k8s-stack';
import { SharedStack } from './shared-stack';
import { TenantStack } from './tenant-stack';

export interface PlatformStacks {
  readonly organization: OrganizationStack;
  readonly shared: SharedStack;
  readonly sharedK8s: SharedK8sStack;
  readonly tenants: readonly TenantStack[];
}

export function buildPlatform(app: App, config: LoadedConfig): PlatformStacks {
  const { platform, tenants } = config;
  const organization = new OrganizationStack(app, { platform, tenants });
  const shared = new SharedStack(app, { platform });
  const sharedK8s = new SharedK8sStack(app, { platform, cluster: shared.cluster });
  const tenantStacks = tenants.map(
    (tenant) =>
      new TenantStack(app, {
        platform,
        tenant,
        account: organization.accountOf(tenant.name),
        cluster: shared.cluster,
        network: shared.network,
        registries: shared.registries,
      }),
  );
  return { organization, shared, sharedK8s, tenants: tenantStacks };
}
