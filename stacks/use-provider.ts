import { Aspects, TerraformResource, type IAspect, type TerraformProvider } from 'cdktf';
import type { IConstruct } from 'constructs';

class UseProvider implements IAspect {
  constructor(private readonly provider: TerraformProvider) {}

  visit(node: IConstruct): void {
    if (node instanceof TerraformResource && node.provider === undefined) node.provider = this.provider;
  }
}

/**
 * Every resource under `scope` uses `provider` (e.g. the platform account's AWS provider in
 * a tenant stack), so constructs stay free of provider plumbing.
 */
export function useProvider(scope: IConstruct, provider: TerraformProvider): void {
  Aspects.of(scope).add(new UseProvider(provider));
}
