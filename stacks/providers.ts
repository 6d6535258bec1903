/**
 * Provider configuration. AWS providers assume a role (never static credentials); the
 * kubernetes and helm providers authenticate with `aws eks get-token`, so no credential is
 * ever written into the synthesized files.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
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

/** How both cluster providers reach the cluster: its endpoint and CA, and a token from `aws eks get-token`. */
function clusterAccess(cluster: ClusterConnection, region: string, roleArn: string) {
  return {
    host: cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(cluster.certificateAuthorityData),
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', cluster.clusterName, '--region', region, '--role-arn', roleArn],
    },
  };
}

export function kubernetesProvider(scope: Construct, id: string, cluster: ClusterConnection, region: string, roleArn: string): KubernetesProvider {
  const access = clusterAccess(cluster, region, roleArn);
  return new KubernetesProvider(scope, id, { ...access, exec: [access.exec] });
}

/** The helm provider (3.x), configured like the kubernetes provider. */
export function helmProvider(scope: Construct, id: string, cluster: ClusterConnection, region: string, roleArn: string): HelmProvider {
  return new HelmProvider(scope, id, { kubernetes: clusterAccess(cluster, region, roleArn) });
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}
