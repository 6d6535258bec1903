/**
 * What a tenant needs to queue work: the text `tenant:describe` prints about its queue, and
 * a copy-paste GPU Job for its LocalQueue. The Job carries no placement: Kueue writes the
 * node selector and tolerations of the pool flavor it admits the Job onto. Tests validate
 * the Job against the Kubernetes schema and evaluate it, and the pods Kueue lets it start,
 * against the synthesized admission policies.
 */
import type { Platform, Tenant } from '../../config/model';
import { GPU_TAINT_KEY, KUEUE, tenantNames } from '../../config/names';
import { queueQuotas, sharedPoolGpus } from '../../config/queue-quotas';
import { TENANT_PRIORITY_CLASSES } from '../../constructs/cluster/tenant-admission';

/** The queue row of tenant:describe. */
export function queueText(tenant: Tenant, platform: Platform): string {
  const names = tenantNames(platform.name, platform.platformAccountId, tenant.name);
  const quotas = queueQuotas(tenant, platform.gpuInstanceTypes);
  const gpus = quotas.gpusByPool.length > 0 ? `; GPUs ${quotas.gpusByPool.map((p) => `${p.pool} ${p.gpus}`).join(', ')}` : '; no GPUs';
  const unplaced = quotas.unplacedGpus > 0 ? ` (${quotas.unplacedGpus} GPUs of the quota fit in no pool)` : '';
  const pool = platform.kueue.sharedGpuPool;
  const shared = pool
    ? `; shared GPU pool: ${tenant.sharedGpus ?? 0} GPUs guaranteed, idle ones borrowed up to ${sharedPoolGpus(pool, platform.gpuInstanceTypes)} (borrowed jobs can be preempted)`
    : '';
  return (
    `LocalQueue ${KUEUE.localQueue} in ${names.namespace} -> ClusterQueue ${names.clusterQueue}: ${quotas.cpu} CPUs, ${quotas.memoryGi} GiB${gpus}${unplaced}${shared}; ` +
    `label every Job ${KUEUE.queueNameLabel}: ${KUEUE.localQueue} (required); a Job over the quota waits, it does not fail; Kueue places GPU jobs on the pool`
  );
}

export interface ExampleJobOptions {
  /** @default 1 */
  readonly gpus?: number;
  /** @default 'pytorch-base:latest' */
  readonly image?: string;
}

/** A GPU training Job for the tenant's queue, as a tenant would apply it. */
export function exampleGpuJob(tenant: Tenant, platform: Platform, options: ExampleJobOptions = {}): Record<string, unknown> {
  const names = tenantNames(platform.name, platform.platformAccountId, tenant.name);
  const gpus = String(options.gpus ?? 1);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'train', namespace: names.namespace, labels: { [KUEUE.queueNameLabel]: KUEUE.localQueue } },
    spec: {
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: names.serviceAccount,
          priorityClassName: TENANT_PRIORITY_CLASSES.find((c) => c.includes('training')) ?? TENANT_PRIORITY_CLASSES[0],
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'train',
              image: options.image ?? 'pytorch-base:latest',
              command: ['python', '-c', 'import torch; print(torch.cuda.device_count())'],
              resources: { requests: { cpu: '4', memory: '16Gi' }, limits: { cpu: '4', memory: '16Gi', [GPU_TAINT_KEY]: gpus } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}
