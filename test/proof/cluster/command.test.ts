import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CliFailure, EXIT } from '../../../bin/cli';
import { proveIsolationCommand } from '../../../bin/prove-isolation';
import { readSynthDir } from '../../../proof/resolve';
import { SAMPLE_TENANTS_DIR, synthInto } from '../plant';

async function run(dir: string): Promise<{ code: number; report: string[]; result: string }> {
  const report: string[] = [];
  try {
    const result = await proveIsolationCommand(['--synth', dir], { report: (line) => report.push(line), diagnostic: () => undefined });
    return { code: 0, report, result };
  } catch (error) {
    if (!(error instanceof CliFailure)) throw error;
    return { code: error.code, report, result: error.message };
  }
}

describe('prove-isolation, cluster layer', () => {
  let dir: string;
  beforeAll(() => {
    dir = synthInto(SAMPLE_TENANTS_DIR);
  });
  afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  test('reports the cluster matrix and result for the samples, and exits 0', async () => {
    const { code, report, result } = await run(dir);
    expect(code).toBe(0);
    expect(report).toContainEqual(expect.stringMatching(/^network policy enforcement: on /));
    expect(report).toContainEqual(expect.stringMatching(/^cluster matrix /));
    expect(result).toMatch(
      /; in the cluster, no tenant's pods, Services or people reach another tenant, and every tenant's GPU pod is admitted \(3 namespaces\)$/,
    );
  });

  test('exits 1 with the cluster leaks when the NetworkPolicies are not enforced', async () => {
    const stacks = readSynthDir(dir);
    const shared = stacks.find((s) => s.name === 'shared')!;
    const original = JSON.stringify(shared.json);
    const addons = (shared.json.resource as Record<string, Record<string, Record<string, unknown>>>).aws_eks_addon;
    for (const addon of Object.values(addons)) if (addon.addon_name === 'vpc-cni') delete addon.configuration_values;
    writeFileSync(shared.file, JSON.stringify(shared.json));
    try {
      const { code, report, result } = await run(dir);
      expect(code).toBe(EXIT.rejected);
      expect(report).toContainEqual(expect.stringMatching(/^network policy enforcement: OFF /));
      expect(report).toContainEqual(expect.stringMatching(/^1 analytics +A +LEAK +LEAK$/));
      expect(report).toContainEqual(
        expect.stringMatching(
          /^LEAK analytics -> fraud-detection \(network\): a pod of analytics reaches a pod of fraud-detection; NetworkPolicies are not enforced/,
        ),
      );
      expect(result).toMatch(/; 6 cluster leaks$/);
    } finally {
      writeFileSync(shared.file, original);
    }
  });
});
