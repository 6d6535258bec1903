import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { policyDocument, renderPolicy, type PolicyStatement } from '../common/policy';

export const STS_AUDIENCE = 'sts.amazonaws.com';

export interface TenantWorkloadRoleProps {
  readonly roleName: string;
  /** Issuer URL of the shared cluster (`https://oidc.eks...`), from the shared stack. */
  readonly oidcIssuerUrl: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** What the role may do; nothing else is allowed. */
  readonly statements: readonly PolicyStatement[];
}

/**
 * The role the tenant's pods use, through IRSA: the shared cluster's OIDC issuer is
 * registered as an identity provider in the tenant account, and only a token for the
 * tenant's service account in the tenant's namespace, for STS, is trusted.
 */
export class TenantWorkloadRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  readonly oidcProviderArn: string;

  constructor(scope: Construct, id: string, props: TenantWorkloadRoleProps) {
    super(scope, id);
    if (props.statements.length === 0) throw new Error(`TenantWorkloadRole ${props.roleName}: give at least one statement, or the role can do nothing`);
    const provider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: props.oidcIssuerUrl,
      clientIdList: [STS_AUDIENCE],
    });
    this.oidcProviderArn = provider.arn;
    const issuerHost = Fn.replace(props.oidcIssuerUrl, 'https://', '');
    // The condition keys contain the issuer, known only after the cluster exists: build them in Terraform.
    const claims = Fn.zipmap(
      [Fn.format('%s:sub', [issuerHost]), Fn.format('%s:aud', [issuerHost])],
      [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`, STS_AUDIENCE],
    );
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `Pods of service account ${props.namespace}/${props.serviceAccount} in the shared cluster`,
      maxSessionDuration: 3600,
      assumeRolePolicy: renderPolicy(
        policyDocument({
          Sid: 'TenantServiceAccountOnly',
          Effect: 'Allow',
          Principal: { Federated: provider.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: claims },
        }),
      ),
      inlinePolicy: [{ name: 'workload', policy: renderPolicy(policyDocument(...props.statements)) }],
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}
