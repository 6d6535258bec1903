import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { tenantQueueManifests, type TenantQueueManifestProps, type TenantQueueManifests } from './tenant-queue-manifests';

/** The manifests' props: names from config/names.ts, quotas from config/queue-quotas.ts; `namespace` may be a reference to the namespace resource, so the LocalQueue waits for it. */
export type TenantQueuesProps = TenantQueueManifestProps;

/**
 * The tenant's Kueue objects in the shared cluster (`kubernetes_manifest`): its flavors, its
 * ClusterQueue and the LocalQueue its jobs are submitted to. See tenant-queue-manifests.ts.
 */
export class TenantQueues extends Construct {
  readonly manifests: TenantQueueManifests;

  constructor(scope: Construct, id: string, props: TenantQueuesProps) {
    super(scope, id);
    const { quotas } = props;
    const errors: string[] = [];
    if (quotas.cpu < 1 || quotas.memoryGi < 1) errors.push(`the CPU and memory quotas must be positive, got ${quotas.cpu} CPUs and ${quotas.memoryGi} GiB`);
    for (const { pool, gpus, capacity } of quotas.gpusByPool) {
      if (props.gpuFlavors[pool] === undefined) errors.push(`pool ${pool} has no flavor name`);
      if (gpus < 0 || gpus > capacity) errors.push(`pool ${pool}: a GPU quota of ${gpus} is outside 0..${capacity} (what its nodes hold)`);
    }
    const flavorNames = [props.cpuFlavor, ...Object.values(props.gpuFlavors)];
    if (new Set(flavorNames).size !== flavorNames.length) errors.push(`flavor names must be distinct, got ${flavorNames.join(', ')}`);
    if (errors.length > 0) throw new Error(`queues of tenant ${props.tenantName}: ${errors.join('; ')}`);

    this.manifests = tenantQueueManifests(props);
    const [cpuFlavor, ...gpuFlavors] = this.manifests.flavors;
    // Keyed by pool name, never by position: adding a pool adds one resource.
    const flavors = [
      new Manifest(this, 'cpu-flavor', { manifest: asManifest(cpuFlavor) }),
      ...gpuFlavors.map((flavor, i) => new Manifest(this, `gpu-flavor-${quotas.gpusByPool[i].pool}`, { manifest: asManifest(flavor) })),
    ];
    const queue = new Manifest(this, 'cluster-queue', { manifest: asManifest(this.manifests.clusterQueue), dependsOn: flavors });
    new Manifest(this, 'local-queue', { manifest: asManifest(this.manifests.localQueue), dependsOn: [queue] });
  }
}

const asManifest = (object: object): Record<string, unknown> => ({ ...object });
