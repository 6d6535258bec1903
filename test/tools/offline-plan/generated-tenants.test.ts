/**
 * The offline plan at scale: generated tenants planned with Terraform. Opt-in, because each
 * stack costs Terraform about 12 s of CPU (23 stacks for 20 tenants, minutes on two cores):
 *   PLAN_OFFLINE_TENANTS=20 npx jest test/tools/offline-plan/generated-tenants.test.ts
 */
import * as path from 'node:path';
import { planOffline, type StackPlanResult } from '../../../tools/offline-plan';
import { readSynthOutput, type SynthesizedStack } from '../../../kernel/synth-output';
import { tempDir } from '../../support/config-fixtures';
import { synthPlatform } from '../../support/synth';
import { generateTenants } from '../../../bench/generated-tenants';
import { countResourcesOf, describeWithTerraform } from './fixtures';

const TENANTS = Number(process.env.PLAN_OFFLINE_TENANTS ?? '0');
const NAME = `offline plan of ${TENANTS || 20} generated tenants`;

function body(): void {
  let stacks: SynthesizedStack[];
  let results: StackPlanResult[];

  beforeAll(async () => {
    const tenantsDir = path.join(tempDir('mlp-generated-'), 'tenants');
    generateTenants(TENANTS, tenantsDir);
    const { outdir } = synthPlatform(tenantsDir);
    stacks = readSynthOutput(outdir);
    results = await planOffline({
      synthDir: outdir,
      workDir: tempDir('mlp-plan-offline-generated-'),
      progress: (line) => process.stderr.write(`plan:offline: ${line}\n`),
    });
  }, 30 * 60_000);

  test('plans a stack per tenant besides the platform stacks', () => {
    expect(results.filter((r) => r.stack.startsWith('tenant-'))).toHaveLength(TENANTS);
  });

  test('finds every stack valid', () => {
    expect(results.filter((r) => r.status !== 'valid').map((r) => ({ stack: r.stack, diagnostics: r.diagnostics }))).toEqual([]);
  });

  test('plans to create every resource except the kubernetes and helm ones, which are reported as not validated', () => {
    const notInMirror = (type: string) => type.startsWith('kubernetes_') || type.startsWith('helm_');
    for (const stack of stacks) {
      const result = results.find((r) => r.stack === stack.name)!;
      expect({ stack: stack.name, toCreate: result.resourcesToCreate, notValidated: result.notValidated.reduce((sum, n) => sum + n.resources, 0) }).toEqual({
        stack: stack.name,
        toCreate: countResourcesOf(stack.config, (type) => !notInMirror(type)),
        notValidated: countResourcesOf(stack.config, notInMirror),
      });
    }
  });
}

if (TENANTS > 0) {
  describeWithTerraform(NAME, body);
} else {
  describe.skip(`${NAME} [opt-in: PLAN_OFFLINE_TENANTS=20]`, body);
}
