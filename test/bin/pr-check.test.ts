import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CliFailure, reportError, UsageError } from '../../bin/cli';
import { main, USAGE } from '../../bin/pr-check';
import { parseCheckReport } from '../../kernel/check-report';
import { synthesize } from '../../synth/synthesize';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir } from '../support/config-fixtures';

describe('npm run pr:check', () => {
  let root: string;
  let tenants: string;
  let base: string;
  const env = { ...process.env };

  beforeAll(() => {
    root = tempDir('mlp-pr-check-');
    tenants = path.join(root, 'tenants');
    cpSync(SAMPLE_TENANTS_DIR, tenants, { recursive: true });
    base = path.join(root, 'base');
    synthesize({ paths: { platformFile: PLATFORM_FILE, tenantsDir: tenants }, outdir: base });
    process.env.TENANTS_DIR = tenants;
    process.env.PLATFORM_CONFIG = PLATFORM_FILE;
  });

  afterAll(() => {
    process.env = env;
    rmSync(root, { recursive: true, force: true });
  });

  /** Runs the command in-process with its progress silenced; the exit code as the CLI frame computes it. */
  async function run(...args: string[]): Promise<{ code: number; line: string }> {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      return { code: 0, line: await main(args) };
    } catch (error) {
      return { code: reportError('pr:check', USAGE, error), line: error instanceof CliFailure || error instanceof UsageError ? error.message : String(error) };
    } finally {
      stderr.mockRestore();
    }
  }

  test('a one-tenant change: only that tenant is synthesized and proved, every phase timed, the reports written for the review', async () => {
    const file = path.join(tenants, 'fraud-detection.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('monthlyUsd: 20000', 'monthlyUsd: 21000'));
    const out = path.join(root, 'out');
    const { code, line } = await run('--base', base, '--synth', path.join(root, 'head'), '--out', out, '--skip-plan');
    expect(line).toMatch(/^ok: incremental: fraud-detection synthesized; 4 stacks reused from the base; review in /);
    expect(code).toBe(0);
    expect(line).toMatch(/validate \d+\.\d s, synth \d+\.\d s, guardrails \d+\.\d s, proof \d+\.\d s, review \d+\.\d s; total \d+\.\d s$/);
    const proof = parseCheckReport(readFileSync(path.join(out, 'proof.json'), 'utf8'), 'proof.json');
    expect(proof.status).toBe('passed');
    expect(proof.summary).toMatch(/restricted to fraud-detection: .* against 2 other tenants/);
    expect(readFileSync(path.join(out, 'changed-stacks.txt'), 'utf8')).toBe('account-fraud-detection\n');
    expect(readFileSync(path.join(out, 'review.md'), 'utf8')).toMatch(/fraud-detection/);
    const timings = JSON.parse(readFileSync(path.join(out, 'timings.json'), 'utf8'));
    expect(timings.phases.map((p: { name: string }) => p.name)).toEqual(['validate', 'synth', 'guardrails', 'proof', 'review']);
  });

  test('a wrong tenant file: exit 1 naming the file, nothing synthesized', async () => {
    const broken = path.join(root, 'broken');
    cpSync(tenants, broken, { recursive: true });
    writeFileSync(path.join(broken, 'analytics.yaml'), readFileSync(path.join(broken, 'analytics.yaml'), 'utf8').replace('costCenter', 'costCentre'));
    process.env.TENANTS_DIR = broken;
    try {
      const head = path.join(root, 'head-broken');
      const { code } = await run('--base', base, '--synth', head, '--out', path.join(root, 'out-broken'), '--skip-plan');
      expect(code).toBe(1);
      expect(existsSync(head)).toBe(false);
    } finally {
      process.env.TENANTS_DIR = tenants;
    }
  });

  test('--base is required: exit 2; a --base that is no synth output: exit 1, saying how to make one', async () => {
    expect((await run('--skip-plan')).code).toBe(2);
    const missing = await run('--base', path.join(root, 'nowhere'), '--out', path.join(root, 'out-nowhere'), '--skip-plan');
    expect(missing.code).toBe(1);
    expect(missing.line).toMatch(/is not a synth output .*npm run synth/);
  });
});
