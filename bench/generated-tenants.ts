/**
 * Writes many valid tenant files for scale tests and benchmarks. The mix follows the
 * samples: training teams with vended accounts and spot GPU pools, inference teams with
 * adopted accounts and on-demand pools, and CPU-only teams. Deterministic: the same `n`
 * gives the same files, so results can be compared across runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';

const TEAMS = ['vision', 'nlp', 'fraud', 'recsys', 'speech', 'search', 'ads', 'risk', 'forecast', 'genai'] as const;
const TRAINING_TYPES = [['g6.12xlarge', 'g5.12xlarge'], ['g6e.12xlarge'], ['p4d.24xlarge'], ['g5.12xlarge']] as const;
const INFERENCE_TYPES = [['g6.xlarge'], ['g5.xlarge'], ['g6.xlarge', 'g5.xlarge']] as const;
/** GPUs per node of the training types (platform.yaml): the quota covers the pool at full size. */
const TRAINING_GPUS: Readonly<Record<string, number>> = { 'g6.12xlarge': 4, 'g5.12xlarge': 4, 'g6e.12xlarge': 4, 'p4d.24xlarge': 8 };

/** The generated tenant name for index `i` (0-based), e.g. `nlp-0002`. */
export function generatedTenantName(i: number): string {
  return `${TEAMS[i % TEAMS.length]}-${String(i + 1).padStart(4, '0')}`;
}

/** A unique Identity Center group id per generated tenant. */
export function generatedGroupId(i: number): string {
  return `9067a1b2c3-${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
}

function tenantBody(i: number): Record<string, unknown> {
  const name = generatedTenantName(i);
  const common = { name, owner: `${name}@example.com`, costCenter: `cc-${1000 + (i % 900)}`, people: { identityCenterGroupId: generatedGroupId(i) } };
  switch (i % 3) {
    case 0: {
      const maxNodes = 2 + (i % 7);
      const types = TRAINING_TYPES[i % TRAINING_TYPES.length];
      return {
        ...common,
        account: { email: `aws+${name}@example.com` },
        buckets: [{ name: 'datasets' }, { name: 'artifacts' }, { name: 'features', noncurrentVersionDays: 7 }],
        gpuPools: [{ name: 'train', instanceTypes: [...types], capacity: 'spot', minNodes: 0, maxNodes, diskGi: 500 }],
        // At most 8 nodes of 8 GPUs: the platform cap of 64.
        quota: { cpu: 64, memoryGi: 512, gpus: maxNodes * Math.max(...types.map((t) => TRAINING_GPUS[t])) },
        budget: { monthlyUsd: 10000 + (i % 10) * 2500 },
      };
    }
    case 1: {
      const maxNodes = 2 + (i % 5);
      return {
        ...common,
        // Adopted accounts: unique 12-digit ids away from the platform's own accounts.
        account: { id: String(400000000000 + i) },
        gpuPools: [{ name: 'serve', instanceTypes: [...INFERENCE_TYPES[i % INFERENCE_TYPES.length]], capacity: 'on-demand', minNodes: 1, maxNodes }],
        quota: { cpu: 48, memoryGi: 192, gpus: maxNodes, pods: 400 },
        budget: { monthlyUsd: 6000 + (i % 8) * 1000 },
      };
    }
    default:
      return {
        ...common,
        account: { email: `aws+${name}@example.com` },
        quota: { cpu: 16 + (i % 4) * 8, memoryGi: 64 + (i % 4) * 32, gpus: 0 },
        budget: { monthlyUsd: 2000 + (i % 5) * 500 },
      };
  }
}

/** Writes `n` tenant files `<name>.yaml` into `dir` (created if missing). */
export function generateTenants(n: number, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    writeFileSync(path.join(dir, `${generatedTenantName(i)}.yaml`), stringify(tenantBody(i)));
  }
  // The platform team's onboarding register, pairing each adopted account with its tenant.
  const adopted: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const body = tenantBody(i) as { name: string; account: { id?: string } };
    if (body.account.id !== undefined) adopted[body.account.id] = body.name;
  }
  mkdirSync(path.join(dir, 'onboarding'), { recursive: true });
  writeFileSync(path.join(dir, 'onboarding', 'adopted-accounts.yaml'), stringify({ accounts: adopted }));
}
