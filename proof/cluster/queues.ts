/**
 * The job queues in the cluster layer of the isolation proof (Kueue's ClusterQueues,
 * LocalQueues and ResourceFlavors, as synthesized):
 * - a tenant's jobs reach exactly one ClusterQueue, its own: no other queue's
 *   namespaceSelector selects its namespace, so it never spends another tenant's quota;
 * - no queue of another tenant lists a flavor of the tenant's pools (nodes labelled with
 *   its tenant name), so no other tenant's job is ever placed on its nodes;
 * - no flavor of one tenant is shared with another tenant's queue in a cohort where it is
 *   lent (lendingLimit not 0): borrowing there would let one tenant use the other's quota,
 *   and reclaiming it would preempt the other's jobs across the boundary. The one flavor meant
 *   to be shared is the platform's (defined in a platform stack, no tenant node label): its
 *   nodes carry no tenant's label, so borrowing and reclaiming there share a node, never a
 *   tenant's pool;
 * - a GPU job the tenant submits to its queue, once Kueue has admitted it onto one of the
 *   tenant's GPU flavors (the flavor's node labels and tolerations written into the pod),
 *   is admitted by the placement admission policies: queued jobs are not blocked;
 * - a Job that names the tenant's LocalQueue is admitted, and one that names none is
 *   denied: no job skips the queue (and fails on the ResourceQuota instead of waiting).
 */
import { GPU_TAINT_KEY, KUEUE, TENANT_LABEL } from '../../config/names';
import { KUEUE_KIND } from '../../constructs/cluster/kueue-api';
import { admit, type AdmissionRequest } from './admission';
import { peopleOf } from './attacks';
import { objectsOfKind, type ApiObject, type ClusterModel, type TenantInCluster } from './cluster-model';
import { selectorMatches } from './selectors';

export interface QueueFinding {
  readonly type: 'leak' | 'blocked';
  readonly from: string;
  readonly to: string;
  readonly what: string;
  readonly why: string;
}

interface Queue {
  readonly stack: string;
  readonly object: ApiObject;
}

const nameOf = (o: ApiObject) => String(o.metadata?.name);
const flavorQuotas = (queue: ApiObject): ApiObject[] => (queue.spec?.resourceGroups ?? []).flatMap((g: ApiObject) => g.flavors ?? []);

/** The pod Kueue lets run once it admits a workload onto `flavor`: the flavor's node labels join its node selector, its tolerations its tolerations. */
export function placedByFlavor(pod: ApiObject, flavor: ApiObject): ApiObject {
  const spec = pod.spec ?? {};
  return {
    ...pod,
    spec: {
      ...spec,
      nodeSelector: { ...spec.nodeSelector, ...flavor.spec?.nodeLabels },
      tolerations: [...(spec.tolerations ?? []), ...(flavor.spec?.tolerations ?? [])],
    },
  };
}

/** A GPU job's pod as a tenant writes it for the queue: no placement at all, Kueue adds it. */
export function queuedGpuPod(tenant: TenantInCluster): ApiObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'train-0', namespace: tenant.namespace, labels: { app: 'train' } },
    spec: {
      restartPolicy: 'Never',
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

/** A GPU Job as a tenant submits it to its queue: the LocalQueue label, the pod as queuedGpuPod. */
export function queuedGpuJob(tenant: TenantInCluster): ApiObject {
  const pod = queuedGpuPod(tenant);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'train', namespace: tenant.namespace, labels: { [KUEUE.queueNameLabel]: KUEUE.localQueue } },
    spec: { backoffLimit: 0, template: { metadata: { labels: pod.metadata.labels }, spec: pod.spec } },
  };
}

function jobRequest(tenant: TenantInCluster, job: ApiObject): AdmissionRequest {
  return {
    operation: 'CREATE',
    resource: { group: 'batch', version: 'v1', resource: 'jobs' },
    namespaceObject: tenant.namespaceObject,
    object: job,
    oldObject: null,
    userInfo: peopleOf(tenant),
  };
}

function podRequest(tenant: TenantInCluster, pod: ApiObject): AdmissionRequest {
  // The Job controller creates the pods; its identity is not a tenant's, but the policies bind to the namespace, so a tenant identity is the stricter test.
  return {
    operation: 'CREATE',
    resource: { group: '', version: 'v1', resource: 'pods' },
    namespaceObject: tenant.namespaceObject,
    object: pod,
    oldObject: null,
    userInfo: peopleOf(tenant),
  };
}

export interface QueueProof {
  readonly findings: readonly QueueFinding[];
  readonly checks: number;
  /** Tenants whose namespace no ClusterQueue serves: their jobs cannot be queued. */
  readonly unqueued: readonly string[];
  /** Platform flavors the tenants' queues share (the shared GPU pool). */
  readonly shared: readonly string[];
}

/**
 * With `focus`, the admission checks (a tenant's own jobs admitted, a job without the queue
 * label denied) run for the focus tenants only; the structural checks between queues, which
 * are cheap and name both tenants, run for every tenant.
 */
export function proveQueues(model: ClusterModel, focus?: ReadonlySet<string>): QueueProof {
  const findings: QueueFinding[] = [];
  const unqueued: string[] = [];
  let checks = 0;
  const queues: Queue[] = objectsOfKind(model, KUEUE_KIND.clusterQueue).map((o) => ({ stack: o.stack, object: o.object as ApiObject }));
  const flavors = new Map(
    objectsOfKind(model, KUEUE_KIND.resourceFlavor).map((o) => [nameOf(o.object as ApiObject), { stack: o.stack, object: o.object as ApiObject }]),
  );
  const byStack = new Map(model.tenants.map((t) => [t.stack, t]));
  /** The platform's shared flavor: defined outside tenant stacks and placing pods on no tenant's nodes. */
  const platformShared = (flavorName: string) => {
    const flavor = flavors.get(flavorName);
    return flavor !== undefined && !byStack.has(flavor.stack) && flavor.object.spec?.nodeLabels?.[TENANT_LABEL] === undefined;
  };
  const shared = new Set<string>();
  // Indexes, so the proof stays near-linear in the number of tenants: queues by the flavors they list, and by the labels a simple selector requires.
  const listing = new Map<string, Queue[]>();
  const add = (map: Map<string, Queue[]>, key: string, queue: Queue) => {
    const list = map.get(key);
    if (list) list.push(queue);
    else map.set(key, [queue]);
  };
  for (const queue of queues) for (const f of flavorQuotas(queue.object)) add(listing, String(f.name), queue);
  const byLabel = new Map<string, Queue[]>();
  const general: Queue[] = [];
  for (const queue of queues) {
    const selector = queue.object.spec?.namespaceSelector;
    if (selector === undefined) continue;
    const labels = Object.entries(selector.matchLabels ?? {});
    if (selector.matchExpressions === undefined && labels.length > 0) {
      const key = `${labels[0][0]}=${String(labels[0][1])}`;
      add(byLabel, key, queue);
    } else {
      general.push(queue);
    }
  }
  const servingQueues = (labels: Readonly<Record<string, string>>): Queue[] => {
    const candidates = [...Object.entries(labels).flatMap(([k, v]) => byLabel.get(`${k}=${v}`) ?? []), ...general];
    return [...new Set(candidates)].filter((q) => selectorMatches(q.object.spec.namespaceSelector, labels));
  };
  const byName = new Map(model.tenants.map((t) => [t.name, t]));
  const admissionOfJobs = (a: TenantInCluster) => {
    checks += 2;
    const queued = admit(model, jobRequest(a, queuedGpuJob(a)));
    if (!queued.allowed)
      findings.push({
        type: 'blocked',
        from: a.name,
        to: a.name,
        what: `${a.name}'s Job in its LocalQueue ${KUEUE.localQueue}`,
        why: `denied: ${queued.denials.join('; ')}`,
      });
    const job = queuedGpuJob(a);
    if (admit(model, jobRequest(a, { ...job, metadata: { ...job.metadata, labels: {} } })).allowed) {
      findings.push({
        type: 'leak',
        from: a.name,
        to: a.name,
        what: `${a.name}'s Job without ${KUEUE.queueNameLabel} is admitted`,
        why: 'no admission policy requires the queue label: the Job skips the queue and fails on the ResourceQuota instead of waiting',
      });
    }
  };
  const ownerOf = (flavorName: string): TenantInCluster | undefined => {
    const flavor = flavors.get(flavorName);
    if (!flavor) return undefined;
    const labelled = flavor.object.spec?.nodeLabels?.[TENANT_LABEL];
    return (labelled === undefined ? undefined : byName.get(labelled)) ?? byStack.get(flavor.stack);
  };

  for (const a of model.tenants) {
    const own = focus === undefined || focus.has(a.name);
    if (own) admissionOfJobs(a);
    const serving = servingQueues(a.namespaceObject.metadata?.labels ?? {});
    checks += 1;
    if (serving.length === 0) unqueued.push(a.name);
    for (const queue of serving.filter((q) => q.stack !== a.stack)) {
      const owner = byStack.get(queue.stack);
      findings.push({
        type: 'leak',
        from: a.name,
        to: owner?.name ?? queue.stack,
        what: `${a.name}'s jobs can be queued in ClusterQueue ${nameOf(queue.object)} of ${queue.stack}`,
        why: "its namespaceSelector selects the namespace: the jobs spend that queue's quota and run on its flavors",
      });
    }
    for (const queue of serving.filter((q) => q.stack === a.stack)) {
      for (const quota of flavorQuotas(queue.object)) {
        checks += 1;
        const flavor = flavors.get(String(quota.name));
        const owner = ownerOf(String(quota.name));
        if (owner && owner !== a) {
          findings.push({
            type: 'leak',
            from: a.name,
            to: owner.name,
            what: `${a.name}'s ClusterQueue ${nameOf(queue.object)} lists ${owner.name}'s flavor ${quota.name}`,
            why: `${a.name}'s jobs are placed on ${owner.name}'s nodes (or denied there) and spend its quota`,
          });
          continue;
        }
        if (platformShared(String(quota.name))) shared.add(String(quota.name));
        for (const other of platformShared(String(quota.name))
          ? []
          : (listing.get(String(quota.name)) ?? []).filter(
              (q) => q !== queue && q.object.spec?.cohort !== undefined && q.object.spec.cohort === queue.object.spec?.cohort,
            )) {
          const lent = (quota.resources ?? []).some((r: ApiObject) => r.lendingLimit === undefined || String(r.lendingLimit) !== '0');
          const borrower = byStack.get(other.stack);
          if (lent && borrower && borrower !== a) {
            findings.push({
              type: 'leak',
              from: borrower.name,
              to: a.name,
              what: `${borrower.name}'s queue borrows ${a.name}'s quota on flavor ${quota.name} in cohort ${queue.object.spec.cohort}`,
              why: `${a.name} lends it (no lendingLimit 0), and reclaiming it preempts ${borrower.name}'s jobs`,
            });
          }
        }
        if (!flavor?.object.spec?.nodeLabels || !own) continue;
        checks += 1;
        const decision = admit(model, podRequest(a, placedByFlavor(queuedGpuPod(a), flavor.object)));
        if (!decision.allowed)
          findings.push({
            type: 'blocked',
            from: a.name,
            to: a.name,
            what: `${a.name}'s GPU job admitted by Kueue onto flavor ${quota.name}`,
            why: `denied: ${decision.denials.join('; ')}`,
          });
      }
    }
  }
  return { findings, checks, unqueued, shared: [...shared].sort() };
}
