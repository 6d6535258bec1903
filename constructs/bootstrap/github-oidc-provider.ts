/**
 * GitHub Actions' OIDC identity provider in one account: what lets a workflow job exchange
 * its token for a pipeline role, without any stored key. AWS verifies GitHub's tokens
 * through its own trusted certificate authorities, so no thumbprint is pinned.
 */
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from './pipeline-policies';

export interface GitHubOidcProviderProps {
  /** Provider of the account the identity provider is created in. @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

export class GitHubOidcProvider extends Construct {
  readonly arn: string;
  /** The resource, for roles whose trust names it (IAM checks the principal exists). */
  readonly resource: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: GitHubOidcProviderProps = {}) {
    super(scope, id);
    this.resource = new IamOpenidConnectProvider(this, 'provider', {
      provider: props.provider,
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
    });
    this.arn = this.resource.arn;
  }
}
