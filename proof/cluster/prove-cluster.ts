/**
 * The cluster layer of the isolation proof, for every ordered pair of tenants (a, b):
 * - admission: each of a's attack requests aimed at b is denied by the synthesized
 *   ValidatingAdmissionPolicies (evaluated with a CEL evaluator), and a's legitimate GPU
 *   pod is admitted;
 * - network: no pod of a reaches a pod of b under the synthesized NetworkPolicies, and
 *   they are enforced;
 * - RBAC: a's people can create, change or delete nothing in b's namespace, nothing
 *   cluster-wide, and cannot change or delete the platform's objects in their own;
 * - queues: a's jobs reach only a's ClusterQueue, on a's flavors, and are admitted once
 *   Kueue places them (queues.ts);
 * - storage: no tenant binds or mounts another tenant's bucket volume (bucket-mounts.ts), and
 *   a's claims get EBS volumes under a's own key only (volume-classes.ts).
 */
import { MANAGED_BY_LABEL } from '../../config/names';
import type { SynthStack } from '../resolve';
import { admit, type AdmissionRequest } from './admission';
import { attacks, legitimateRequest, peopleOf, priorityClassRequest } from './attacks';
import { objectsOfKind, readClusterModel, type ApiObject, type ClusterModel, type TenantInCluster } from './cluster-model';
import { reachability } from './network';
import { selectPairs } from './pairs';
import { proveQueues } from './queues';
import { proveBucketMounts } from './bucket-mounts';
import { proveVolumeClasses } from './volume-classes';
import { allowedVerbs, grantsOf, WRITE_VERBS } from './rbac';

export type ClusterLayer = 'admission' | 'network' | 'rbac' | 'queues' | 'storage';

export interface ClusterFinding {
  readonly layer: ClusterLayer;
  /** `leak`: a reaches b (or weakens its own boundary when a = b); `blocked`: a's legitimate workload is denied. */
  readonly type: 'leak' | 'blocked';
  readonly from: string;
  readonly to: string;
  readonly what: string;
  readonly why: string;
}

export interface ClusterProofResult {
  readonly tenants: readonly string[];
  /** With a focus: the tenants whose own checks and pairs were proved; queues and volumes are checked for every tenant. */
  readonly focus?: readonly string[];
  readonly findings: readonly ClusterFinding[];
  readonly checks: Readonly<Record<ClusterLayer, number>>;
  readonly enforcement: ClusterModel['networkPolicyEnforcement'];
  readonly notes: readonly string[];
  /** Input the layer cannot read: the proof reports it and fails. */
  readonly problems: readonly string[];
}

/** API resource of each kind the platform manages inside a tenant namespace. */
export const MANAGED_KINDS: Readonly<Record<string, AdmissionRequest['resource']>> = {
  NetworkPolicy: { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' },
  ResourceQuota: { group: '', version: 'v1', resource: 'resourcequotas' },
  LimitRange: { group: '', version: 'v1', resource: 'limitranges' },
  ServiceAccount: { group: '', version: 'v1', resource: 'serviceaccounts' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings' },
  Role: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles' },
};

function admissionFindings(model: ClusterModel, a: TenantInCluster, b: TenantInCluster): ClusterFinding[] {
  return attacks(a, b)
    .map((attack) => ({ attack, decision: admit(model, attack.request) }))
    .filter(({ decision }) => decision.allowed)
    .map(({ attack }) => ({
      layer: 'admission',
      type: 'leak',
      from: a.name,
      to: b.name,
      what: `${attack.id}: ${attack.description} in ${a.namespace}`,
      why: 'admitted: no denying policy bound to the namespace rejects it',
    }));
}

/**
 * Priority classes that a's pods are admitted with and that preempt: a's pod of such a class
 * evicts lower-priority pods of b on the nodes they share (the general nodes), so every
 * class tenant pods may use must have `preemptionPolicy: Never`.
 */
function preemptingClasses(model: ClusterModel, a: TenantInCluster): { checked: number; preempting: ApiObject[] } {
  const classes = objectsOfKind(model, 'PriorityClass').map((o) => o.object as ApiObject);
  const preempting = classes.filter(
    (pc) => (pc.preemptionPolicy ?? 'PreemptLowerPriority') !== 'Never' && admit(model, priorityClassRequest(a, String(pc.metadata?.name))).allowed,
  );
  return { checked: classes.length, preempting };
}

function preemptionFindings(preempting: readonly ApiObject[], a: TenantInCluster, b: TenantInCluster): ClusterFinding[] {
  return preempting.map((pc) => ({
    layer: 'admission',
    type: 'leak',
    from: a.name,
    to: b.name,
    what: `preemption: a pod of priority class ${pc.metadata?.name} in ${a.namespace} evicts ${b.name}'s lower-priority pods on the shared nodes`,
    why: `admitted in tenant namespaces, and the class preempts (preemptionPolicy ${pc.preemptionPolicy ?? 'PreemptLowerPriority'})`,
  }));
}

function rbacFindings(model: ClusterModel, a: TenantInCluster, b: TenantInCluster): ClusterFinding[] {
  const findings: ClusterFinding[] = [];
  for (const grant of grantsOf(model, a)) {
    if (grant.namespace !== undefined && grant.namespace !== b.namespace) continue;
    const verbs = allowedVerbs(grant, '*', '*', WRITE_VERBS);
    if (verbs.length === 0) continue;
    const where = grant.namespace === undefined ? "cluster-wide (every namespace, b's included)" : `in ${b.namespace}`;
    findings.push({
      layer: 'rbac',
      type: 'leak',
      from: a.name,
      to: b.name,
      what: `${a.name}'s people can ${verbs.join(', ')} ${where}`,
      why: `granted by ${grant.via}`,
    });
  }
  return findings;
}

/** a's people against the platform's objects in a's own namespace: whatever RBAC lets through, admission must deny. */
function ownBoundaryFindings(model: ClusterModel, a: TenantInCluster): { findings: ClusterFinding[]; checks: number } {
  const findings: ClusterFinding[] = [];
  let checks = 0;
  const grants = grantsOf(model, a).filter((g) => g.namespace === undefined || g.namespace === a.namespace);
  const managed = model.objects
    .map((o) => o.object as ApiObject)
    .filter(
      (o) => o.metadata?.namespace === a.namespace && o.metadata?.labels?.[MANAGED_BY_LABEL.key] === MANAGED_BY_LABEL.value && MANAGED_KINDS[String(o.kind)],
    );
  for (const object of managed) {
    const resource = MANAGED_KINDS[String(object.kind)];
    const stripped = { ...object, metadata: { ...object.metadata, labels: {} } };
    for (const [verb, operation, newObject] of [
      ['delete', 'DELETE', null],
      ['update', 'UPDATE', stripped],
    ] as const) {
      checks += 1;
      const via = grants.find((g) => allowedVerbs(g, resource.group, resource.resource, [verb]).length > 0);
      if (!via) continue;
      const request: AdmissionRequest = {
        operation,
        resource,
        namespaceObject: a.namespaceObject,
        object: newObject,
        oldObject: object,
        userInfo: peopleOf(a),
      };
      const decision = admit(model, request);
      if (decision.allowed) {
        findings.push({
          layer: 'rbac',
          type: 'leak',
          from: a.name,
          to: a.name,
          what: `${a.name}'s people can ${verb} the platform's ${object.kind} ${a.namespace}/${object.metadata?.name}`,
          why: `RBAC allows it (${via.via}) and no admission policy denies it`,
        });
      }
    }
  }
  return { findings, checks };
}

export interface ClusterProofOptions {
  /** Every ordered pair of tenants, however many (slower); else pairs by class above PAIRWISE_UP_TO tenants (pairs.ts). @default false */
  readonly pairwise?: boolean;
  /** Only these tenants' own checks and the pairs that involve one of them (proof/prove.ts `focus`). @default every tenant */
  readonly focus?: ReadonlySet<string>;
}

export function proveClusterModel(model: ClusterModel, stacks: readonly SynthStack[], options: ClusterProofOptions = {}): ClusterProofResult {
  const findings: ClusterFinding[] = [];
  const checks = { admission: 0, network: 0, rbac: 0, queues: 0, storage: 0 };
  const { tenants } = model;
  const preemption = new Map<TenantInCluster, ReturnType<typeof preemptingClasses>>();
  for (const a of tenants) {
    if (options.focus && !options.focus.has(a.name)) continue;
    checks.admission += 1;
    const own = admit(model, legitimateRequest(a));
    if (!own.allowed)
      findings.push({
        layer: 'admission',
        type: 'blocked',
        from: a.name,
        to: a.name,
        what: `${a.name}'s legitimate GPU pod`,
        why: `denied: ${own.denials.join('; ')}`,
      });
    preemption.set(a, preemptingClasses(model, a));
    const boundary = ownBoundaryFindings(model, a);
    checks.rbac += boundary.checks;
    findings.push(...boundary.findings);
  }
  const selection = selectPairs(model, options.pairwise === true, options.focus);
  for (const [a, b] of selection.pairs) {
    if (!preemption.has(a)) preemption.set(a, preemptingClasses(model, a));
    const classes = preemption.get(a) ?? { checked: 0, preempting: [] };
    checks.admission += attacks(a, b).length + classes.checked;
    findings.push(...admissionFindings(model, a, b), ...preemptionFindings(classes.preempting, a, b));
    checks.network += 1;
    const reach = reachability(model, a, b);
    if (reach.reachable)
      findings.push({ layer: 'network', type: 'leak', from: a.name, to: b.name, what: `a pod of ${a.name} reaches a pod of ${b.name}`, why: reach.why });
    checks.rbac += 1;
    findings.push(...rbacFindings(model, a, b));
  }
  const queues = proveQueues(model, options.focus);
  checks.queues = queues.checks;
  findings.push(...queues.findings.map((f): ClusterFinding => ({ layer: 'queues', ...f })));
  const mounts = proveBucketMounts(model, stacks);
  checks.storage = mounts.checks;
  findings.push(...mounts.findings.map((f): ClusterFinding => ({ layer: 'storage', ...f })));
  const volumes = proveVolumeClasses(model, stacks, selection.pairs);
  checks.storage += volumes.checks;
  findings.push(...volumes.findings.map((f): ClusterFinding => ({ layer: 'storage', ...f })));
  const notes =
    model.withoutNamespace.length > 0 ? [`tenants without a namespace (retained), nothing of theirs in the cluster: ${model.withoutNamespace.join(', ')}`] : [];
  if (selection.mode === 'classes') {
    const irregular = selection.irregular.length > 0 ? `; against every tenant, as they name another: ${selection.irregular.join(', ')}` : '';
    notes.push(
      `${selection.pairs.length} of ${tenants.length * (tenants.length - 1)} ordered pairs checked: ${selection.classes} class${selection.classes === 1 ? '' : 'es'} of tenants whose in-cluster objects differ only in their own names, every pair of class representatives, every tenant once each way${irregular} (--pairwise checks every pair)`,
    );
  }
  if (queues.shared.length > 0)
    notes.push(
      `shared by design: the platform's GPU flavor ${queues.shared.join(', ')} is in every tenant queue and lent; borrowing and reclaiming there share a node of the platform's pool, never a GPU or a tenant's pool`,
    );
  if (queues.unqueued.length > 0) notes.push(`no ClusterQueue serves the namespaces of: ${queues.unqueued.join(', ')} (their jobs cannot be queued)`);
  if (tenants.length > 0 && model.objects.every((o) => o.object.kind !== 'ValidatingAdmissionPolicy'))
    notes.push('no ValidatingAdmissionPolicy in the synthesized output');
  const focus = options.focus ? tenants.filter((t) => options.focus?.has(t.name)).map((t) => t.name) : undefined;
  return {
    tenants: tenants.map((t) => t.name),
    ...(focus ? { focus } : {}),
    findings,
    checks,
    enforcement: model.networkPolicyEnforcement,
    notes,
    problems: [...model.problems, ...volumes.problems],
  };
}

export function proveCluster(stacks: readonly SynthStack[], options: ClusterProofOptions = {}): ClusterProofResult {
  return proveClusterModel(readClusterModel(stacks), stacks, options);
}
