import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Construct } from 'constructs';
import type { TenantQuota } from '../../config/model';
import { GPU_TAINT_KEY, MANAGED_BY_LABEL, TENANT_LABEL } from '../../config/names';
import { POD_SECURITY_LABELS } from '../cluster/pod-security';
import { TENANT_EDIT_ROLE } from '../cluster/tenant-edit-role';

/** Priority classes of the platform's own components: a tenant pod may start none (quota 0, besides admission). */
export const SYSTEM_PRIORITY_CLASSES = ['system-node-critical', 'system-cluster-critical'] as const;

/** Defaults for containers that set no requests or limits, so the quota can count them. */
export const CONTAINER_DEFAULTS = {
  request: { cpu: '250m', memory: '512Mi' },
  limit: { cpu: '2', memory: '4Gi' },
} as const;

/** The instance metadata service: a pod must never reach the node role's credentials. */
export const INSTANCE_METADATA_CIDR = '169.254.169.254/32';

export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

export interface TenantNamespaceProps {
  readonly tenantName: string;
  readonly namespace: string;
  readonly quota: TenantQuota;
  readonly serviceAccount: string;
  /** Role the service account's pods assume through IRSA. */
  readonly workloadRoleArn: string;
  /** The VPC: pods and nodes of every tenant live here, so egress to it is denied. */
  readonly vpcCidr: string;
  /** Interface endpoint subnets (STS, ECR), reachable on 443 although inside the VPC. */
  readonly endpointSubnetCidrs: readonly string[];
  /** Kubernetes group of the tenant's people: bound to the tenant edit ClusterRole here only. */
  readonly peopleGroup: string;
}

/**
 * The tenant's namespace in the shared cluster: Pod Security `restricted` enforced, a
 * ResourceQuota from the tenant file, container defaults, the workload service account,
 * and network policies that deny everything but traffic inside the namespace, DNS, the
 * VPC endpoints and destinations outside the VPC (so never another tenant's pods, nor the
 * instance metadata service). The RoleBinding gives the tenant's people group the tenant
 * edit role in this namespace only. Every object here carries MANAGED_BY_LABEL: admission
 * keeps tenants from changing or deleting it.
 */
export class TenantNamespace extends Construct {
  readonly namespaceName: string;
  readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const ns = new NamespaceV1(this, 'namespace', {
      metadata: { name: props.namespace, labels: { [TENANT_LABEL]: props.tenantName, ...POD_SECURITY_LABELS } },
    });
    const namespace = ns.metadata.name;
    this.namespaceName = namespace;
    const labels = { [MANAGED_BY_LABEL.key]: MANAGED_BY_LABEL.value };
    new ResourceQuotaV1(this, 'quota', {
      metadata: { name: 'tenant-quota', namespace, labels },
      spec: {
        hard: {
          'requests.cpu': String(props.quota.cpu),
          'requests.memory': `${props.quota.memoryGi}Gi`,
          [`requests.${GPU_TAINT_KEY}`]: String(props.quota.gpus),
          pods: String(props.quota.pods),
          // Besides admission: no Service may open node ports or a load balancer.
          'services.nodeports': '0',
          'services.loadbalancers': '0',
        },
      },
    });
    new ResourceQuotaV1(this, 'system-priority-quota', {
      metadata: { name: 'system-priority-quota', namespace, labels },
      spec: {
        hard: { pods: '0' },
        scopeSelector: { matchExpression: [{ scopeName: 'PriorityClass', operator: 'In', values: [...SYSTEM_PRIORITY_CLASSES] }] },
      },
    });
    new LimitRangeV1(this, 'limits', {
      metadata: { name: 'container-defaults', namespace, labels },
      spec: { limit: [{ type: 'Container', defaultRequest: { ...CONTAINER_DEFAULTS.request }, default: { ...CONTAINER_DEFAULTS.limit } }] },
    });
    const sa = new ServiceAccountV1(this, 'workload-service-account', {
      metadata: {
        name: props.serviceAccount,
        namespace,
        annotations: { [IRSA_ROLE_ANNOTATION]: props.workloadRoleArn },
        labels: { [TENANT_LABEL]: props.tenantName, ...labels },
      },
      automountServiceAccountToken: false,
    });
    this.serviceAccountName = sa.metadata.name;

    const allPods = { matchLabels: {} };
    new NetworkPolicyV1(this, 'default-deny', {
      metadata: { name: 'default-deny', namespace, labels },
      spec: { podSelector: allPods, policyTypes: ['Ingress', 'Egress'] },
    });
    new NetworkPolicyV1(this, 'allow-same-namespace', {
      metadata: { name: 'allow-same-namespace', namespace, labels },
      spec: {
        podSelector: allPods,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: allPods }] }],
        egress: [{ to: [{ podSelector: allPods }] }],
      },
    });
    new NetworkPolicyV1(this, 'allow-dns', {
      metadata: { name: 'allow-cluster-dns', namespace, labels },
      spec: {
        podSelector: allPods,
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { port: '53', protocol: 'UDP' },
              { port: '53', protocol: 'TCP' },
            ],
          },
        ],
      },
    });
    new NetworkPolicyV1(this, 'allow-egress-outside-cluster', {
      metadata: { name: 'allow-egress-outside-cluster', namespace, labels },
      spec: {
        podSelector: allPods,
        policyTypes: ['Egress'],
        egress: [
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [props.vpcCidr, INSTANCE_METADATA_CIDR] } }] },
          { to: props.endpointSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: '443', protocol: 'TCP' }] },
        ],
      },
    });
    new RoleBindingV1(this, 'people-binding', {
      metadata: { name: 'tenant-people', namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: TENANT_EDIT_ROLE },
      subject: [{ kind: 'Group', name: props.peopleGroup, apiGroup: 'rbac.authorization.k8s.io' }],
    });
  }
}
