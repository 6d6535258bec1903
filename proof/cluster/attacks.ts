/**
 * The requests a tenant's people would send to reach another tenant through the cluster:
 * pods that try to land on b's nodes (b's toleration, node selector or affinity, a node name,
 * wildcard tolerations), that preempt others or see every GPU, and Services that intercept
 * or expose traffic. Each is the tenant's legitimate GPU pod (or a plain Service) with one
 * change, so a denial is caused by that change. The legitimate pod must be admitted.
 */
import { GPU_TAINT_KEY, SYSTEM_NODE_TAINT, TENANT_LABEL } from '../../config/names';
import { GPU_VISIBILITY_ENV, tenantGpuPlacement, TENANT_PRIORITY_CLASSES } from '../../constructs/cluster/tenant-admission';
import type { AdmissionRequest } from './admission';
import type { ApiObject, JsonRecord, TenantInCluster } from './cluster-model';

export interface Attack {
  readonly id: string;
  /** What the request tries, for findings. */
  readonly description: string;
  readonly request: AdmissionRequest;
}

const POD = { group: '', version: 'v1', resource: 'pods' };
const SERVICE = { group: '', version: 'v1', resource: 'services' };

/** The identity of a tenant's people in the cluster: their access entry's groups. */
export function peopleOf(tenant: TenantInCluster): AdmissionRequest['userInfo'] {
  return { username: `${tenant.name}-people`, groups: [...tenant.groups, 'system:authenticated'] };
}

/** The tenant's legitimate GPU pod: the placement tenantGpuPlacement documents, restricted security, an allowed priority class. */
export function legitimateGpuPod(tenant: TenantInCluster): ApiObject {
  const placement = tenantGpuPlacement(tenant.name);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'train', namespace: tenant.namespace, labels: { app: 'train' } },
    spec: {
      ...placement,
      priorityClassName: TENANT_PRIORITY_CLASSES[TENANT_PRIORITY_CLASSES.length - 1],
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'train',
          image: 'pytorch-base:latest',
          resources: { limits: { [GPU_TAINT_KEY]: '1' } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

function create(tenant: TenantInCluster, resource: AdmissionRequest['resource'], object: ApiObject): AdmissionRequest {
  return { operation: 'CREATE', resource, namespaceObject: tenant.namespaceObject, object, oldObject: null, userInfo: peopleOf(tenant) };
}

function podWith(tenant: TenantInCluster, change: (spec: JsonRecord) => void): AdmissionRequest {
  const pod = JSON.parse(JSON.stringify(legitimateGpuPod(tenant))) as JsonRecord;
  change(pod.spec);
  return create(tenant, POD, pod);
}

function service(tenant: TenantInCluster, spec: Record<string, unknown>): AdmissionRequest {
  return create(tenant, SERVICE, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: tenant.namespace },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
  });
}

/** The tenant's legitimate GPU pod in another priority class. */
export function priorityClassRequest(tenant: TenantInCluster, priorityClassName: string): AdmissionRequest {
  return podWith(tenant, (spec) => (spec.priorityClassName = priorityClassName));
}

export function legitimateRequest(tenant: TenantInCluster): AdmissionRequest {
  return create(tenant, POD, legitimateGpuPod(tenant));
}

/** Every attack of tenant a's people aimed at tenant b (a's own namespace, b's nodes and traffic). */
export function attacks(a: TenantInCluster, b: TenantInCluster): Attack[] {
  const ownToleration = (t: Record<string, string>) => t.key === TENANT_LABEL;
  return [
    {
      id: 'foreign-toleration',
      description: `a pod tolerating ${TENANT_LABEL}=${b.name}`,
      request: podWith(a, (spec) => {
        for (const t of spec.tolerations.filter(ownToleration)) t.value = b.name;
      }),
    },
    {
      id: 'foreign-node-selector',
      description: `a pod selecting ${TENANT_LABEL}=${b.name} nodes`,
      request: podWith(a, (spec) => (spec.nodeSelector[TENANT_LABEL] = b.name)),
    },
    {
      id: 'foreign-node-affinity',
      description: `a pod requiring node affinity ${TENANT_LABEL} In [${b.name}]`,
      request: podWith(a, (spec) => {
        delete spec.nodeSelector;
        spec.affinity = {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: TENANT_LABEL, operator: 'In', values: [b.name] }] }],
            },
          },
        };
      }),
    },
    {
      id: 'node-name',
      description: `a pod naming one of ${b.name}'s nodes in spec.nodeName (skips the scheduler and NoSchedule taints)`,
      request: podWith(a, (spec) => (spec.nodeName = `${b.name}-gpu-node-1`)),
    },
    {
      id: 'wildcard-toleration',
      description: 'a pod with a wildcard toleration (operator Exists, no key)',
      request: podWith(a, (spec) => spec.tolerations.push({ operator: 'Exists' })),
    },
    {
      id: 'any-tenant-toleration',
      description: `a pod tolerating every ${TENANT_LABEL} taint (key ${TENANT_LABEL}, operator Exists)`,
      request: podWith(a, (spec) => (spec.tolerations = [{ key: TENANT_LABEL, operator: 'Exists' }])),
    },
    {
      id: 'system-toleration',
      description: `a pod tolerating the system nodes' ${SYSTEM_NODE_TAINT.key} taint`,
      request: podWith(a, (spec) => spec.tolerations.push({ key: SYSTEM_NODE_TAINT.key, operator: 'Exists' })),
    },
    {
      id: 'foreign-priority-class',
      description: 'a pod of priority class system-node-critical (preempts other tenants)',
      request: podWith(a, (spec) => (spec.priorityClassName = 'system-node-critical')),
    },
    {
      id: 'gpu-visibility',
      description: `a container without a GPU request setting ${GPU_VISIBILITY_ENV}=all`,
      request: podWith(a, (spec) => spec.containers.push({ name: 'peek', image: 'cuda:latest', env: [{ name: GPU_VISIBILITY_ENV, value: 'all' }] })),
    },
    {
      id: 'external-ips',
      description: `a Service with externalIPs (intercepts traffic cluster-wide, CVE-2020-8554)`,
      request: service(a, { externalIPs: ['10.40.0.10'] }),
    },
    { id: 'node-port', description: 'a NodePort Service', request: service(a, { type: 'NodePort' }) },
    { id: 'load-balancer', description: 'a LoadBalancer Service', request: service(a, { type: 'LoadBalancer' }) },
  ];
}
