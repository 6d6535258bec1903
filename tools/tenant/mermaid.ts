/**
 * The tenant as a Mermaid flowchart, fenced so that GitHub renders it in a pull request or
 * an issue: the tenant's own account (key, buckets, roles) beside what it gets in the
 * shared cluster (namespace, node pools), and the links between them.
 */
import { usd } from '../../config/cost';
import { quotaText, type TenantDescription } from './describe';

/** Label text inside `["..."]`: Mermaid reads `#quot;` for a quote and `<br/>` as a line break. */
function label(...lines: string[]): string {
  return `"${lines.map((l) => l.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>')}"`;
}

export function renderMermaid(d: TenantDescription): string {
  const { tenant, platform, names } = d;
  const active = tenant.lifecycle === 'active';
  const out: string[] = ['```mermaid', 'flowchart LR'];
  const line = (text: string) => out.push(`  ${text}`);

  line(`subgraph management[${label(`Organization · management account ${platform.managementAccountId}`)}]`);
  line(`  budget[${label(`Budget ${names.budget}`, `${usd(tenant.monthlyBudgetUsd)} per month`, `GPU ceiling ${usd(d.ceiling.monthlyUsd)} per month`)}]`);
  line('end');

  const account = tenant.account.kind === 'vended' ? `new account ${names.accountName}` : `adopted account ${tenant.account.id}`;
  line(`subgraph tenant_account[${label(`Tenant account · ${account}`)}]`);
  line(`  data_key[${label('KMS key', names.keyAlias)}]`);
  for (const [i, b] of tenant.buckets.entries()) line(`  bucket_${i}[(${label(`S3 bucket · ${b.purpose}`, names.bucket(b.purpose))})]`);
  if (active) line(`  workload_role[${label('IAM role · workload', names.workloadRole)}]`);
  line(`  people_role[${label('IAM role · people', names.peopleRole)}]`);
  line('end');

  if (active) {
    line(`subgraph shared_cluster[${label(`Shared cluster ${platform.cluster.name} · platform account ${platform.platformAccountId}`)}]`);
    line(`  tenant_namespace[${label(`Namespace ${names.namespace}`, quotaText(tenant))}]`);
    for (const [i, p] of tenant.gpuPools.entries()) {
      line(
        `  pool_${i}[${label(`Karpenter pool ${names.nodePool(p.name)}`, p.instanceTypes.join(', '), `${p.capacity}, ${p.minNodes} warm, at most ${p.maxNodes} nodes`)}]`,
      );
    }
    if (tenant.gpuPools.length > 0) line(`  node_role[${label('IAM role · GPU nodes', names.nodeRole)}]`);
    line('end');
  }

  line('budget -.->|watches| tenant_account');
  if (active) for (const i of tenant.gpuPools.keys()) line(`budget -.->|watches tagged nodes| pool_${i}`);
  tenant.buckets.forEach((_, i) => {
    line(`data_key -->|encrypts| bucket_${i}`);
    if (active) line(`workload_role -->|reads and writes| bucket_${i}`);
    line(`people_role -->|reads and writes| bucket_${i}`);
  });
  if (active) {
    line(`tenant_namespace -->|service account ${names.serviceAccount}| workload_role`);
    line('people_role -->|cluster access| tenant_namespace');
    tenant.gpuPools.forEach((_, i) => {
      line(`pool_${i} -->|runs pods of| tenant_namespace`);
      line(`node_role --- pool_${i}`);
    });
  }
  out.push('```');
  return out.join('\n');
}
