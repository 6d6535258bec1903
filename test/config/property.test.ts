import fc from 'fast-check';
import { problems, tenantDir } from '../support/config-fixtures';

/** Tenant names that are valid DNS labels, short enough and not reserved. */
const tenantName = fc
  .tuple(fc.constantFrom('team', 'ml', 'vision', 'nlp', 'fraud', 'ads'), fc.integer({ min: 0, max: 9999 }))
  .map(([word, n]) => `${word}-${n}`);

const pool = fc.record({
  name: fc.constantFrom('train', 'serve', 'batch'),
  instanceTypes: fc.subarray(['g5.xlarge', 'g6.xlarge', 'g6.12xlarge'], { minLength: 1 }),
  capacity: fc.constantFrom('spot', 'on-demand'),
  minNodes: fc.integer({ min: 0, max: 4 }),
  maxNodes: fc.integer({ min: 4, max: 16 }),
});

const tenant = (name: string) =>
  fc
    .record({
      name: fc.constant(name),
      owner: fc.constant(`${name}@example.com`),
      costCenter: fc.integer({ min: 1000, max: 9999 }).map((n) => `cc-${n}`),
      account: fc.oneof(fc.constant({ email: `aws+${name}@example.com` })),
      gpuPools: fc.uniqueArray(pool, { maxLength: 3, selector: (p) => p.name }),
      quota: fc.record({ cpu: fc.integer({ min: 1, max: 512 }), memoryGi: fc.integer({ min: 1, max: 4096 }), gpus: fc.integer({ min: 0, max: 64 }) }),
      budget: fc.record({ monthlyUsd: fc.integer({ min: 1, max: 150000 }) }),
    })
    .map((t) => ({ ...t, quota: { ...t.quota, gpus: Math.max(t.quota.gpus, ...t.gpuPools.map(poolGpusAtFullSize)) } }));

/** A pool's GPUs at its maximum size, which the tenant's GPU quota must cover (at most 16 x 4 = the cap of 64). */
const GPUS_PER_NODE: Record<string, number> = { 'g5.xlarge': 1, 'g6.xlarge': 1, 'g6.12xlarge': 4 };
function poolGpusAtFullSize(p: { instanceTypes: string[]; maxNodes: number }): number {
  return p.maxNodes * Math.max(...p.instanceTypes.map((t) => GPUS_PER_NODE[t]));
}

const tenantSet = fc.uniqueArray(tenantName, { minLength: 1, maxLength: 4 }).chain((names) => fc.tuple(...names.map(tenant)));

type Mutation = (t: Record<string, unknown>) => Record<string, unknown>;
const mutations: Record<string, Mutation> = {
  'min above max': (t) => ({ ...t, gpuPools: [{ name: 'p', instanceTypes: ['g6.xlarge'], capacity: 'spot', minNodes: 5, maxNodes: 2 }] }),
  'unknown key': (t) => ({ ...t, budgett: { monthlyUsd: 1 } }),
  'name differs from file': (t) => ({ ...t, name: `${String(t.name)}-x` }),
  'gpus over cap': (t) => ({ ...t, quota: { cpu: 1, memoryGi: 1, gpus: 65 } }),
  'instance type not allowed': (t) => ({ ...t, gpuPools: [{ name: 'p', instanceTypes: ['m5.large'], capacity: 'spot', minNodes: 0, maxNodes: 1 }] }),
  'negative budget': (t) => ({ ...t, budget: { monthlyUsd: -1 } }),
  'missing owner': ({ owner: _owner, ...rest }) => rest,
};

describe('tenant sets (property-based)', () => {
  test('generated valid tenant sets pass', () => {
    fc.assert(
      fc.property(tenantSet, (tenants) => {
        const dir = tenantDir(Object.fromEntries(tenants.map((t) => [t.name, t])));
        expect(problems(dir)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  test('any single mutation of a valid set is reported in the mutated file', () => {
    fc.assert(
      fc.property(tenantSet, fc.constantFrom(...Object.keys(mutations)), fc.nat(), (tenants, mutation, index) => {
        const target = tenants[index % tenants.length];
        const files = Object.fromEntries(tenants.map((t) => [t.name, t.name === target.name ? mutations[mutation](t) : t]));
        const found = problems(tenantDir(files));
        expect(found.length).toBeGreaterThan(0);
        expect(found.every((line) => line.startsWith(`${target.name}.yaml`))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  test('two files sharing an account e-mail are rejected', () => {
    fc.assert(
      fc.property(fc.uniqueArray(tenantName, { minLength: 2, maxLength: 4 }), (names) => {
        const files = Object.fromEntries(
          names.map((name) => [
            name,
            {
              name,
              owner: 'o@example.com',
              costCenter: 'cc-1',
              account: { email: 'same@example.com' },
              quota: { cpu: 1, memoryGi: 1, gpus: 0 },
              budget: { monthlyUsd: 1 },
            },
          ]),
        );
        // Nothing says which file came last, so every file of the clash is named, each naming the others.
        expect(problems(tenantDir(files)).filter((l) => l.includes("account e-mail 'same@example.com' is already used"))).toHaveLength(names.length);
      }),
      { numRuns: 20 },
    );
  });
});
