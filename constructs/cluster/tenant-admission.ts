import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { GPU_TAINT_KEY, KUEUE, MANAGED_BY_LABEL, SYSTEM_NODE_TAINT, TENANT_GROUP_PREFIX, TENANT_LABEL, TENANT_STORAGE_CLASS_SUFFIX } from '../../config/names';
import { WORKLOAD_PRIORITY_CLASSES } from './workload-priority-classes';

/**
 * Admission control of tenant namespaces with ValidatingAdmissionPolicy (built into
 * Kubernetes since 1.30, nothing to run). The policies and their bindings are cluster-wide
 * and name no tenant: a binding selects every namespace carrying the `tenant` label, and
 * each rule reads the requesting namespace's own tenant from that label
 * (`namespaceObject.metadata.labels`). Expressions are core CEL only (no optional fields,
 * quantities or regexes), so the isolation proof evaluates them exactly.
 */
export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';

/** The label every tenant namespace carries; the bindings select on it. */
export const BOUND_NAMESPACES = { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] } as const;

/** Environment variable the NVIDIA container toolkit reads to expose GPUs; tenants may not set it. */
export const GPU_VISIBILITY_ENV = 'NVIDIA_VISIBLE_DEVICES';

export interface Validation {
  readonly expression: string;
  readonly message: string;
  readonly reason: 'Forbidden' | 'Invalid';
}

export interface AdmissionPolicy {
  readonly name: string;
  readonly resourceRules: readonly { apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }[];
  readonly validations: readonly Validation[];
}

const OWN_TENANT = `namespaceObject.metadata.labels['${TENANT_LABEL}']`;
const str = (value: string) => `'${value}'`;
const list = (values: readonly string[]) => `[${values.map(str).join(', ')}]`;

/**
 * True when a node selector requirement on the tenant label selects only the own tenant's
 * nodes. A list comparison rather than a third nested comprehension keeps the API server's
 * estimated cost of the rule low.
 */
const ownTenantRequirement = (e: string) => `(${e}.key != '${TENANT_LABEL}' || (${e}.operator == 'In' && has(${e}.values) && ${e}.values == [${OWN_TENANT}]))`;
const termsSelectOwnTenant = (terms: string, term: (t: string) => string) =>
  `${terms}.all(t, !has(${term('t')}.matchExpressions) || ${term('t')}.matchExpressions.all(e, ${ownTenantRequirement('e')}))`;
const AFFINITY = 'object.spec.affinity.nodeAffinity';
const REQUIRED = `${AFFINITY}.requiredDuringSchedulingIgnoredDuringExecution`;
const PREFERRED = `${AFFINITY}.preferredDuringSchedulingIgnoredDuringExecution`;
const tolerations = (condition: string) => `!has(object.spec.tolerations) || object.spec.tolerations.all(t, ${condition})`;
const noGpuEnv = (containers: string) => `!has(${containers}) || ${containers}.all(c, !has(c.env) || c.env.all(e, e.name != '${GPU_VISIBILITY_ENV}'))`;
const hasManagedLabel = (o: string) =>
  `(${o} != null && has(${o}.metadata.labels) && '${MANAGED_BY_LABEL.key}' in ${o}.metadata.labels && ${o}.metadata.labels['${MANAGED_BY_LABEL.key}'] == '${MANAGED_BY_LABEL.value}')`;
const queued = (o: string) =>
  `(has(${o}.metadata.labels) && '${KUEUE.queueNameLabel}' in ${o}.metadata.labels && ${o}.metadata.labels['${KUEUE.queueNameLabel}'] == '${KUEUE.localQueue}')`;
/** The namespace's own tenant's StorageClass, `tenantNames().storageClass` derived from the tenant label. */
export const OWN_STORAGE_CLASS = `${OWN_TENANT} + '${TENANT_STORAGE_CLASS_SUFFIX}'`;
/** The deprecated class annotation: Kubernetes still reads it first, before spec.storageClassName, when it provisions or binds a claim. */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const CLAIM_CLASS = 'object.spec.storageClassName';
/** The own class, or none at all with a named volume: static binding, which binds only a volume pre-bound to the claim (tenants create no volumes). */
const ownClassOrStatic = `has(${CLAIM_CLASS}) && (${CLAIM_CLASS} == ${OWN_STORAGE_CLASS} || (${CLAIM_CLASS} == '' && has(object.spec.volumeName) && object.spec.volumeName != ''))`;
const classUnchanged = `(has(oldObject.spec.storageClassName) ? (has(${CLAIM_CLASS}) && ${CLAIM_CLASS} == oldObject.spec.storageClassName) : !has(${CLAIM_CLASS}))`;
const betaClassSet = (o: string) => `(has(${o}.metadata.annotations) && '${BETA_STORAGE_CLASS_ANNOTATION}' in ${o}.metadata.annotations)`;
const betaClass = (o: string) => `${o}.metadata.annotations['${BETA_STORAGE_CLASS_ANNOTATION}']`;
const annotationAgrees = `(!${betaClassSet('object')} || (has(${CLAIM_CLASS}) && ${betaClass('object')} == ${CLAIM_CLASS}))`;
const annotationUnchanged = `(${betaClassSet('oldObject')} ? (${betaClassSet('object')} && ${betaClass('object')} == ${betaClass('oldObject')}) : !${betaClassSet('object')})`;

/** A tenant's people (their group) or any service account outside kube-system: the identities tenants control. */
const TENANT_REQUESTER =
  `((has(request.userInfo.groups) && request.userInfo.groups.exists(g, g.startsWith('${TENANT_GROUP_PREFIX}'))) || ` +
  `(request.userInfo.username.startsWith('system:serviceaccount:') && !request.userInfo.username.startsWith('system:serviceaccount:kube-system:')))`;

/**
 * What a tenant's GPU pod carries to land on its own GPU nodes, and all admission lets it
 * carry: a node selector on its own tenant label and tolerations of its own tenant taint
 * and of the GPU taint (plus a `nvidia.com/gpu` limit in a container). tenant:describe
 * prints it; the isolation proof admits a pod with exactly this.
 */
export function tenantGpuPlacement(tenant: string): { nodeSelector: Record<string, string>; tolerations: Record<string, string>[] } {
  return {
    nodeSelector: { [TENANT_LABEL]: tenant },
    tolerations: [
      { key: TENANT_LABEL, operator: 'Equal', value: tenant, effect: 'NoSchedule' },
      { key: GPU_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' },
    ],
  };
}

export const TENANT_PRIORITY_CLASSES: readonly string[] = Object.keys(WORKLOAD_PRIORITY_CLASSES);
/** Service types a tenant may create: cluster-internal only (NodePort and LoadBalancer open the nodes or the VPC). */
export const TENANT_SERVICE_TYPES: readonly string[] = ['ClusterIP'];

/** Kinds the platform writes into every tenant namespace; tenants may not change or delete those carrying MANAGED_BY_LABEL. */
export const PROTECTED_RESOURCES = [
  { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['resourcequotas', 'limitranges', 'serviceaccounts'] },
  { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['networkpolicies'] },
  { apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['roles', 'rolebindings'] },
];

export const TENANT_ADMISSION_POLICIES: readonly AdmissionPolicy[] = [
  {
    name: 'ml-platform-tenant-pod-placement',
    resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }],
    validations: [
      {
        // The scheduler sets nodeName through the binding subresource; a pod created with it skips the scheduler and every NoSchedule taint.
        expression: `request.operation != 'CREATE' || !has(object.spec.nodeName) || object.spec.nodeName == ''`,
        message: 'spec.nodeName is not allowed in tenant namespaces: the scheduler places pods',
        reason: 'Forbidden',
      },
      {
        expression: tolerations(`has(t.key) && t.key != ''`),
        message: "a toleration without a key tolerates every taint, including other tenants' nodes: name the taint",
        reason: 'Forbidden',
      },
      {
        expression: tolerations(
          `!has(t.key) || t.key != '${TENANT_LABEL}' || ((!has(t.operator) || t.operator == 'Equal') && has(t.value) && t.value == ${OWN_TENANT})`,
        ),
        message: `tolerations of the ${TENANT_LABEL} taint must name the namespace's own tenant (operator Equal)`,
        reason: 'Forbidden',
      },
      {
        expression: tolerations(`!has(t.key) || t.key != '${SYSTEM_NODE_TAINT.key}'`),
        message: `the ${SYSTEM_NODE_TAINT.key} taint is for the platform's critical add-ons`,
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.spec.nodeSelector) || !('${TENANT_LABEL}' in object.spec.nodeSelector) || object.spec.nodeSelector['${TENANT_LABEL}'] == ${OWN_TENANT}`,
        message: `spec.nodeSelector may select the ${TENANT_LABEL} label of the namespace's own tenant only`,
        reason: 'Forbidden',
      },
      {
        expression:
          `!has(object.spec.affinity) || !has(object.spec.affinity.nodeAffinity) || ` +
          `((!has(${REQUIRED}) || !has(${REQUIRED}.nodeSelectorTerms) || ${termsSelectOwnTenant(`${REQUIRED}.nodeSelectorTerms`, (t) => t)}) && ` +
          `(!has(${PREFERRED}) || ${termsSelectOwnTenant(PREFERRED, (t) => `${t}.preference`)}))`,
        message: `node affinity on the ${TENANT_LABEL} label must be 'In' the namespace's own tenant`,
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.spec.priorityClassName) || object.spec.priorityClassName in ${list(TENANT_PRIORITY_CLASSES)}`,
        message: `priority classes allowed in tenant namespaces: ${TENANT_PRIORITY_CLASSES.join(', ')}`,
        reason: 'Forbidden',
      },
      {
        // Pod Security 'restricted' allows inline CSI volumes; a bucket mounted inline would skip its PersistentVolume's claimRef and authentication settings.
        expression: `!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.csi))`,
        message: 'inline CSI volumes are not allowed in tenant namespaces: mount a bucket through its PersistentVolumeClaim (s3-<purpose>)',
        reason: 'Forbidden',
      },
      {
        expression: `(${noGpuEnv('object.spec.containers')}) && (${noGpuEnv('object.spec.initContainers')})`,
        message: `${GPU_VISIBILITY_ENV} is set by the device plugin from the GPUs a container requests, never by the pod`,
        reason: 'Forbidden',
      },
    ],
  },
  {
    name: 'ml-platform-tenant-services',
    resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['services'] }],
    validations: [
      {
        // CVE-2020-8554: an external IP on a Service intercepts that address for every pod of the cluster.
        expression: `!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0`,
        message: 'spec.externalIPs is not allowed: it intercepts traffic to that address cluster-wide (CVE-2020-8554)',
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.spec.type) || object.spec.type in ${list(TENANT_SERVICE_TYPES)}`,
        message: `Service types allowed in tenant namespaces: ${TENANT_SERVICE_TYPES.join(', ')}`,
        reason: 'Forbidden',
      },
    ],
  },
  {
    // Jobs wait in the tenant's queue for quota instead of failing on the ResourceQuota: Kueue holds (suspends) a Job that names a LocalQueue until its ClusterQueue admits it.
    name: 'ml-platform-tenant-queued-jobs',
    resourceRules: [{ apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs'] }],
    validations: [
      {
        // On update only a queued Job must stay queued: Jobs from before the rule keep their controllers' updates (finalizers).
        expression: `request.operation == 'CREATE' ? ${queued('object')} : (!${queued('oldObject')} || ${queued('object')})`,
        message: `Jobs in tenant namespaces are queued: label them ${KUEUE.queueNameLabel}: ${KUEUE.localQueue} (a CronJob in spec.jobTemplate.metadata.labels)`,
        reason: 'Invalid',
      },
    ],
  },
  {
    // The API server's DefaultStorageClass admission has already given a claim without a class the platform's default (not under the tenant's key): it is denied here.
    name: 'ml-platform-tenant-volume-claims',
    resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['persistentvolumeclaims'] }],
    validations: [
      {
        // An update that keeps the class (and its annotation) passes: claims from before the rule keep their resizes and finalizers.
        expression: `(request.operation == 'UPDATE' && ${classUnchanged} && ${annotationUnchanged}) || (${ownClassOrStatic} && ${annotationAgrees})`,
        message: `claims in tenant namespaces use the tenant's own StorageClass, <tenant>${TENANT_STORAGE_CLASS_SUFFIX} (volumes encrypted with the tenant's key): set spec.storageClassName to it, and ${BETA_STORAGE_CLASS_ANNOTATION}, if set, to the same; without a class a claim gets the platform's default class, which is not under the tenant's key`,
        reason: 'Forbidden',
      },
    ],
  },
  {
    name: 'ml-platform-managed-objects',
    resourceRules: PROTECTED_RESOURCES,
    validations: [
      {
        expression: `!${TENANT_REQUESTER} || (!${hasManagedLabel('oldObject')} && !${hasManagedLabel('object')})`,
        message: `objects labelled ${MANAGED_BY_LABEL.key}=${MANAGED_BY_LABEL.value} are managed by the platform: tenants cannot create, change or delete them`,
        reason: 'Forbidden',
      },
    ],
  },
];

/** The API object of a policy. */
export function admissionPolicyObject(policy: AdmissionPolicy): Record<string, unknown> {
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: policy.name, labels: { [MANAGED_BY_LABEL.key]: MANAGED_BY_LABEL.value } },
    spec: {
      // An expression that fails to evaluate denies: a broken rule never admits.
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: policy.resourceRules.map((r) => ({ ...r })) },
      validations: policy.validations.map((v) => ({ ...v })),
    },
  };
}

/** The API object of a policy's binding: every tenant namespace, denying (not only auditing). */
export function admissionBindingObject(policy: AdmissionPolicy): Record<string, unknown> {
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: policy.name, labels: { [MANAGED_BY_LABEL.key]: MANAGED_BY_LABEL.value } },
    spec: {
      policyName: policy.name,
      validationActions: ['Deny'],
      matchResources: { namespaceSelector: { matchExpressions: BOUND_NAMESPACES.matchExpressions.map((e) => ({ ...e })) } },
    },
  };
}

/** Every tenant admission policy and its binding, as `kubernetes_manifest` objects. */
export class TenantAdmission extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const policy of TENANT_ADMISSION_POLICIES) {
      const created = new Manifest(this, `${policy.name}-policy`, { manifest: admissionPolicyObject(policy) });
      new Manifest(this, `${policy.name}-binding`, { manifest: admissionBindingObject(policy), dependsOn: [created] });
    }
  }
}
