import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { Construct } from 'constructs';

/** The ClusterRole each tenant namespace binds for its people's group (a RoleBinding: namespace-scoped). */
export const TENANT_EDIT_ROLE = 'ml-platform:tenant-edit';

const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ = ['get', 'list', 'watch'];

export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * What tenant people may do in their own namespace. Written here rather than taken from an
 * AWS-managed access policy, so it can be reviewed and proved. Left out on purpose: RBAC
 * objects (no self-granted rights for service accounts), quota and limits (read only),
 * Endpoints and EndpointSlices (hand-written endpoints redirect a Service anywhere),
 * ephemeral containers and service account tokens. NetworkPolicies and service accounts
 * may be written: admission keeps the platform's own ones unchangeable.
 */
export const TENANT_EDIT_RULES: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'serviceaccounts'], verbs: [...READ, ...WRITE] },
  { apiGroups: [''], resources: ['pods/log', 'pods/status', 'events', 'resourcequotas', 'limitranges', 'endpoints'], verbs: READ },
  { apiGroups: [''], resources: ['pods/exec', 'pods/portforward', 'pods/attach'], verbs: ['get', 'create'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: READ },
  // The queue's state and the jobs waiting in it; queues and quotas are the platform's.
  { apiGroups: ['kueue.x-k8s.io'], resources: ['localqueues', 'workloads'], verbs: READ },
];

/** The tenant edit ClusterRole: one object for all tenants, so adding a tenant changes nothing cluster-wide. */
export class TenantEditRole extends Construct {
  readonly roleName: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const role = new ClusterRoleV1(this, 'cluster-role', {
      metadata: { name: TENANT_EDIT_ROLE },
      rule: TENANT_EDIT_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
    this.roleName = role.metadata.name;
  }
}
