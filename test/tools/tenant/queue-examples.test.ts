import { readFileSync, rmSync } from 'node:fs';
import { parse } from 'yaml';
import * as path from 'node:path';
import { loadConfig } from '../../../config/load';
import { admit, type AdmissionRequest } from '../../../proof/cluster/admission';
import { peopleOf } from '../../../proof/cluster/attacks';
import { readClusterModel, type ApiObject, type ClusterModel } from '../../../proof/cluster/cluster-model';
import { placedByFlavor } from '../../../proof/cluster/queues';
import { readSynthDir } from '../../../proof/resolve';
import { exampleGpuJob, queueText } from '../../../tools/tenant/queue-examples';
import { describeTenant, renderTable } from '../../../tools/tenant/describe';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR } from '../../support/config-fixtures';
import { synthInto } from '../../proof/plant';

type Model = new (o: unknown) => { validate(): void };

describe('the example GPU Job of a tenant queue', () => {
  const { platform, tenants } = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
  const fraud = tenants.find((t) => t.name === 'fraud-detection')!;
  let dir: string;
  let model: ClusterModel;
  beforeAll(() => {
    dir = synthInto(SAMPLE_TENANTS_DIR);
    model = readClusterModel(readSynthDir(dir));
  });
  afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  const request = (resource: AdmissionRequest['resource'], object: ApiObject): AdmissionRequest => {
    const tenant = model.tenants.find((t) => t.name === fraud.name)!;
    return { operation: 'CREATE', resource, namespaceObject: tenant.namespaceObject, object, oldObject: null, userInfo: peopleOf(tenant) };
  };
  const JOBS = { group: 'batch', version: 'v1', resource: 'jobs' };
  const PODS = { group: '', version: 'v1', resource: 'pods' };

  test('is a valid batch/v1 Job', async () => {
    const { Job } = (await import('kubernetes-models/batch/v1/Job')) as unknown as { Job: Model };
    expect(() => new Job(exampleGpuJob(fraud, platform, { gpus: 4 })).validate()).not.toThrow();
  });

  test('is admitted in the tenant namespace, and its pod is admitted once Kueue places it on the pool flavor; without the queue label it is denied', () => {
    const job = exampleGpuJob(fraud, platform) as ApiObject;
    expect(admit(model, request(JOBS, job))).toEqual({ allowed: true, denials: [] });
    const flavor = model.objects.map((o) => o.object as ApiObject).find((o) => o.kind === 'ResourceFlavor' && o.metadata.name === 'fraud-detection.train')!;
    const pod = placedByFlavor({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'train-x', namespace: fraud.name }, spec: job.spec.template.spec }, flavor);
    expect(admit(model, request(PODS, pod))).toEqual({ allowed: true, denials: [] });
    const unlabelled = { ...job, metadata: { ...job.metadata, labels: {} } };
    expect(admit(model, request(JOBS, unlabelled)).denials).toEqual([expect.stringContaining('Jobs in tenant namespaces are queued')]);
  });

  test("tenant:describe shows the tenant's queue, its quotas per pool and the label to use", () => {
    expect(queueText(fraud, platform)).toBe(
      'LocalQueue default in fraud-detection -> ClusterQueue fraud-detection: 64 CPUs, 512 GiB; GPUs train 16; label every Job kueue.x-k8s.io/queue-name: default (required); a Job over the quota waits, it does not fail; Kueue places GPU jobs on the pool',
    );
    const table = renderTable(describeTenant(fraud, platform));
    expect(table).toMatch(/^queue +fraud-detection +LocalQueue default in fraud-detection/m);
    expect(table).toMatch(
      /^storage +fraud-detection +bucket claims s3-datasets, s3-artifacts, s3-features \(mounted with the workload role: run the pod as fraud-detection-workload\)/m,
    );
    expect(table).toMatch(
      /^GPU metrics +mlp\/ContainerInsights +CloudWatch in the tenant account \(people role\): pod_gpu_utilization, .*\(dimensions ClusterName=[^,]+, Namespace=fraud-detection\)/m,
    );
    expect(table).toMatch(/^role +mlp-fraud-detection-metrics-writer +metrics writer: only the platform's metrics exporter assumes it/m);
  });
});

describe('docs/queues.md', () => {
  test('shows the generated example Job for the sample tenant, unchanged', () => {
    const { platform, tenants } = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
    const text = readFileSync(path.join(__dirname, '../../../docs/queues.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(text);
    expect(block).not.toBeNull();
    expect(parse(block![1])).toEqual(exampleGpuJob(tenants.find((t) => t.name === 'fraud-detection')!, platform));
  });
});
