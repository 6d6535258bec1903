/**
 * Provider configuration. AWS providers assume a role (never static credentials); the
 * kubernetes provider authenticates with `aws eks get-token`, so no credential is ever
 * written into the synthesized files.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';

export interface AwsAccountProviderProps {
  readonly region: string;
  /** Role the provider assumes in the target account. */
  readonly roleArn: string;
  readonly sessionName: string;
  readonly tags: Record<string, string>;
  /** Set for a second AWS provider in the same stack. @default the stack's default provider */
  readonly alias?: string;
}

export function awsAccountProvider(scope: Construct, id: string, props: AwsAccountProviderProps): AwsProvider {
  return new AwsProvider(scope, id, {
    region: props.region,
    alias: props.alias,
    assumeRole: [{ roleArn: props.roleArn, sessionName: props.sessionName }],
    defaultTags: [{ tags: props.tags }],
  });
}

export interface ClusterConnection {
  readonly clusterName: string;
  readonly endpoint: string;
  /** Base64 PEM, as EKS returns it. */
  readonly certificateAuthorityData: string;
}

export function kubernetesProvider(scope: Construct, id: string, cluster: ClusterConnection, region: string, roleArn: string): KubernetesProvider {
  return new KubernetesProvider(scope, id, {
    host: cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(cluster.certificateAuthorityData),
    exec: [
      {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', cluster.clusterName, '--region', region, '--role-arn', roleArn],
      },
    ],
  });
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}
