/**
 * A tenant's kubeconfig, written from the shared stack's `cluster_access` output. It
 * authenticates as the tenant's people role: `aws eks get-token --role-arn` assumes it from
 * the Identity Center session (the permission set may assume nothing else), and the
 * cluster's access entry maps that role to edit rights in the tenant's namespace only. No
 * call to the platform account is needed (EKS has no resource policy that could allow
 * eks:DescribeCluster across accounts), and nothing secret is written.
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { Platform, Tenant } from '../../config/model';
import { CLUSTER_ACCESS_OUTPUT, tenantNames } from '../../config/names';
import { isPlainObject } from '../../kernel/records';

export interface ClusterAccess {
  readonly name: string;
  readonly region: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
}

/** A problem with the inputs, said so that the user can fix it. */
export class KubeconfigInputError extends Error {}

/**
 * Reads the output from `terraform output -json` of the shared stack (the whole object, or
 * only the `cluster_access` value).
 */
export function parseClusterAccess(text: string, file: string): ClusterAccess {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new KubeconfigInputError(`${file}: not JSON (${(error as Error).message}); give the output of 'terraform output -json' in the shared stack`);
  }
  const wrapped = isPlainObject(data) ? data[CLUSTER_ACCESS_OUTPUT] : undefined;
  const value = isPlainObject(wrapped) ? wrapped.value : isPlainObject(data) && 'endpoint' in data ? data : undefined;
  if (!isPlainObject(value))
    throw new KubeconfigInputError(`${file}: no '${CLUSTER_ACCESS_OUTPUT}' output; give the output of 'terraform output -json' in the shared stack`);
  const field = (key: string): string => {
    const v = value[key];
    if (typeof v !== 'string' || v === '') throw new KubeconfigInputError(`${file}: ${CLUSTER_ACCESS_OUTPUT}.${key} is missing or not a string`);
    return v;
  };
  const endpoint = field('endpoint');
  if (!/^https:\/\/[^\s/]+/.test(endpoint))
    throw new KubeconfigInputError(`${file}: ${CLUSTER_ACCESS_OUTPUT}.endpoint must be an https:// URL, got '${endpoint}'`);
  const ca = field('certificate_authority_data');
  if (!/^[A-Za-z0-9+/]+=*$/.test(ca)) throw new KubeconfigInputError(`${file}: ${CLUSTER_ACCESS_OUTPUT}.certificate_authority_data must be base64`);
  return { name: field('name'), region: field('region'), endpoint, certificateAuthorityData: ca };
}

export function readClusterAccess(file: string): ClusterAccess {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeconfigInputError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseClusterAccess(text, file);
}

export interface KubeconfigOptions {
  /** The tenant account; needed for a vended account, whose id the tenant file does not hold. */
  readonly accountId?: string;
  /** AWS CLI profile of the Identity Center sign-in (`aws configure sso`). */
  readonly profile?: string;
}

/** The people role the kubeconfig authenticates as. */
export function peopleRoleArn(tenant: Tenant, platform: Platform, accountId?: string): string {
  const account = accountId ?? (tenant.account.kind === 'adopted' ? tenant.account.id : undefined);
  if (account === undefined) {
    throw new KubeconfigInputError(
      `tenant '${tenant.name}' has a vended account, whose id the tenant file does not hold: add --account-id <id> (the AWS access portal shows it, or 'aws sts get-caller-identity')`,
    );
  }
  if (!/^\d{12}$/.test(account)) throw new KubeconfigInputError(`--account-id must be a 12-digit AWS account id, got '${account}'`);
  if (tenant.account.kind === 'adopted' && account !== tenant.account.id) {
    throw new KubeconfigInputError(`tenant '${tenant.name}' adopts account ${tenant.account.id}, not ${account}`);
  }
  return `arn:aws:iam::${account}:role/${tenantNames(platform.name, platform.platformAccountId, tenant.name).peopleRole}`;
}

export function renderKubeconfig(tenant: Tenant, platform: Platform, cluster: ClusterAccess, options: KubeconfigOptions = {}): string {
  const names = tenantNames(platform.name, platform.platformAccountId, tenant.name);
  const role = peopleRoleArn(tenant, platform, options.accountId);
  const user = `${tenant.name}-people`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster.name, cluster: { server: cluster.endpoint, 'certificate-authority-data': cluster.certificateAuthorityData } }],
    users: [
      {
        name: user,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', cluster.name, '--region', cluster.region, '--role-arn', role],
            ...(options.profile ? { env: [{ name: 'AWS_PROFILE', value: options.profile }] } : {}),
            interactiveMode: 'IfAvailable',
          },
        },
      },
    ],
    contexts: [{ name: tenant.name, context: { cluster: cluster.name, user, namespace: names.namespace } }],
    'current-context': tenant.name,
  };
  return stringify(config);
}
