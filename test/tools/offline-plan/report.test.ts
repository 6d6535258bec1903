import { formatNotValidated, formatStackResults, notValidatedTotals, summaryLine } from '../../../tools/offline-plan/report';
import type { StackPlanResult } from '../../../tools/offline-plan/types';

function result(stack: string, overrides: Partial<StackPlanResult> = {}): StackPlanResult {
  return {
    stack,
    status: 'valid',
    workDir: `/w/${stack}`,
    planJsonPath: `/w/${stack}/plan.json`,
    resourcesToCreate: 10,
    resourcesInStack: 10,
    diagnostics: [],
    notValidated: [],
    seconds: 1,
    ...overrides,
  };
}

const KUBERNETES = { provider: 'kubernetes', dataSources: 0, reason: 'provider registry.terraform.io/hashicorp/kubernetes 2.38.0 is not in the plugin mirror' };
const RESULTS = [
  result('shared', { resourcesToCreate: 71, resourcesInStack: 71 }),
  result('tenant-a', { resourcesToCreate: 22, resourcesInStack: 30, notValidated: [{ ...KUBERNETES, resources: 8 }] }),
  result('tenant-b', {
    status: 'invalid',
    planJsonPath: undefined,
    resourcesToCreate: 0,
    notValidated: [{ ...KUBERNETES, resources: 8 }],
    diagnostics: [
      {
        severity: 'error',
        stage: 'plan',
        summary: 'expected capacity_type to be one of ["ON_DEMAND" "SPOT"], got CHEAP',
        address: 'aws_eks_node_group.pool_F575CA85',
        constructPath: 'tenant-b/gpu-pool-train/nodes/node-group',
      },
    ],
  }),
];

describe('offline plan report', () => {
  test('prints one line per stack with status, resources to create, plan JSON and what was not validated', () => {
    const columns = formatStackResults(RESULTS)
      .slice(0, 3)
      .map((line) => line.trim().split(/\s{2,}/));
    expect(columns).toEqual([
      ['shared', 'valid', '71 to create', '/w/shared/plan.json'],
      ['tenant-a', 'valid', '22 to create', '/w/tenant-a/plan.json', 'NOT VALIDATED: 8 kubernetes resources'],
      ['tenant-b', 'invalid', '0 to create', 'no plan', 'NOT VALIDATED: 8 kubernetes resources'],
    ]);
  });

  test("prints each diagnostic under its stack at the construct path, with Terraform's words", () => {
    expect(formatStackResults(RESULTS)[3]).toBe(
      '  error: tenant-b/gpu-pool-train/nodes/node-group (aws_eks_node_group.pool_F575CA85): expected capacity_type to be one of ["ON_DEMAND" "SPOT"], got CHEAP',
    );
  });

  test('sums what was not validated by provider over all stacks', () => {
    expect(notValidatedTotals(RESULTS)).toEqual([{ provider: 'kubernetes', resources: 16, stacks: ['tenant-a', 'tenant-b'], reasons: [KUBERNETES.reason] }]);
    expect(formatNotValidated(RESULTS)).toEqual([`WARNING: 16 kubernetes resources were NOT validated in 2 stacks (tenant-a, tenant-b): ${KUBERNETES.reason}`]);
  });

  test('warns about nothing when everything was validated', () => {
    expect(formatNotValidated([result('shared')])).toEqual([]);
    expect(summaryLine([result('shared')], 2)).toBe('1 of 1 stacks valid, 10 resources to create (2.0 s)');
  });

  test('says in the summary how many stacks are valid and how many resources were not validated', () => {
    expect(summaryLine(RESULTS, 12.34)).toBe('2 of 3 stacks valid, 93 resources to create, 16 kubernetes resources NOT validated (12.3 s)');
  });

  test('counts kubernetes resources validated against the API schemas as schema-validated, and only the rest as NOT validated', () => {
    const results = [
      result('tenant-a', { resourcesToCreate: 22, notValidated: [{ ...KUBERNETES, resources: 8 }], schemaValidated: 8 }),
      result('tenant-b', { resourcesToCreate: 22, notValidated: [{ ...KUBERNETES, resources: 8 }], schemaValidated: 5 }),
    ];
    expect(
      formatStackResults(results).map((line) =>
        line
          .trim()
          .split(/\s{2,}/)
          .slice(4),
      ),
    ).toEqual([['8 kubernetes schema-validated'], ['5 kubernetes schema-validated', 'NOT VALIDATED: 3 kubernetes resources']]);
    expect(formatNotValidated(results)).toEqual([`WARNING: 3 kubernetes resources were NOT validated in 1 stack (tenant-b): ${KUBERNETES.reason}`]);
    expect(summaryLine(results, 1)).toBe(
      '2 of 2 stacks valid, 44 resources to create, 13 kubernetes resources schema-validated, 3 kubernetes resources NOT validated (1.0 s)',
    );
  });

  test('names only the providers with resources left unvalidated on a stack line', () => {
    const helm = { ...KUBERNETES, provider: 'helm', resources: 2 };
    const results = [result('shared-k8s', { resourcesToCreate: 0, notValidated: [helm, { ...KUBERNETES, resources: 10 }], schemaValidated: 10 })];
    expect(
      formatStackResults(results).map((line) =>
        line
          .trim()
          .split(/\s{2,}/)
          .slice(4),
      ),
    ).toEqual([['10 kubernetes schema-validated', 'NOT VALIDATED: 2 helm resources']]);
  });
});
