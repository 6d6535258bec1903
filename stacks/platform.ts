/** Composes the platform's stacks from the loaded configuration (synth/platform.ts adds the guardrails). */
import type { App } from 'cdktf';
import type { LoadedConfig } from '../config/load';
import { AccountStack } from './account-stack';
import { OrganizationStack } from './organization-stack';
import type { PlatformStack } from './platform-stack';
import { SharedK8sStack } from './shared-k8s-stack';
import { SharedPoolsStack } from './shared-pools-stack';
import { SharedStack } from './shared-stack';
import { TenantStack } from './tenant-stack';

export interface PlatformStacks {
  readonly organization: OrganizationStack;
  readonly shared: SharedStack;
  readonly sharedK8s: SharedK8sStack;
  readonly sharedPools: SharedPoolsStack;
  /** One per tenant, in the management account: the tenant's account, SCP, budgets, sign-in and deployer. */
  readonly accounts: readonly AccountStack[];
  readonly tenants: readonly TenantStack[];
}

/** The stacks that are not a tenant's, in the order they are applied (a tenant's stacks are its account stack and its tenant stack). */
export function platformWideStacks(stacks: PlatformStacks): PlatformStack[] {
  return [stacks.organization, stacks.shared, stacks.sharedK8s, stacks.sharedPools];
}

export function buildPlatform(app: App, config: LoadedConfig): PlatformStacks {
  const { platform, tenants } = config;
  const organization = new OrganizationStack(app, { platform });
  const shared = new SharedStack(app, { platform });
  const sharedK8s = new SharedK8sStack(app, { platform, cluster: shared.cluster, volumeKeyArn: shared.volumeKeyArn });
  const sharedPools = new SharedPoolsStack(app, { platform, cluster: shared.cluster });
  // Karpenter's CRDs (shared-k8s) must be in the cluster before a NodePool is planned.
  sharedPools.addDependency(sharedK8s);
  const accounts = tenants.map(
    (tenant) => new AccountStack(app, { platform, tenant, tenantOu: organization.tenantOu, pipelineRoles: organization.pipelineRoles }),
  );
  const tenantStacks = tenants.map(
    (tenant, i) =>
      new TenantStack(app, {
        platform,
        tenant,
        account: accounts[i].account,
        cluster: shared.cluster,
        network: shared.network,
        registries: shared.registries,
      }),
  );
  // An adopted account's id is a literal, so no reference orders these: the tenant stack deploys through the deployer its account stack creates.
  tenantStacks.forEach((stack, i) => {
    stack.addDependency(sharedK8s);
    stack.addDependency(accounts[i]);
  });
  return { organization, shared, sharedK8s, sharedPools, accounts, tenants: tenantStacks };
}
