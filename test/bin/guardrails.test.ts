/** `npm run guardrails -- --format json`: the report the plan review reads, for a clean platform and for a wrong file. */
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { reportError } from '../../bin/cli';
import { checkGuardrails, main, USAGE } from '../../bin/guardrails';
import { CliFailure } from '../../kernel/errors';
import { type CheckReport, parseCheckReport } from '../../kernel/check-report';
import { readCheck } from '../../tools/plan-review/checks';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir, tenantDir } from '../support/config-fixtures';

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** Runs the command in-process with the given tenants; its standard output, parsed, and its exit code. */
async function run(tenantsDir: string, ...args: string[]): Promise<{ code: number; stdout: string; report: CheckReport; file: string }> {
  const out: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const saved = { ...process.env };
  process.env.PLATFORM_CONFIG = PLATFORM_FILE;
  process.env.TENANTS_DIR = tenantsDir;
  let code = 0;
  try {
    await main(['--format', 'json', ...args]);
  } catch (error) {
    code = reportError('guardrails', USAGE, error);
  } finally {
    process.env = saved;
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const dir = tempDir('mlp-guardrails-json-');
  created.push(dir);
  const file = path.join(dir, 'guardrails.json');
  writeFileSync(file, out.join(''));
  return { code, stdout: out.join(''), report: parseCheckReport(out.join(''), file), file };
}

describe('npm run guardrails -- --format json', () => {
  test('writes one versioned report with the rule table, which the review reads as passed', async () => {
    const { code, report, file } = await run(SAMPLE_TENANTS_DIR);
    expect(code).toBe(0);
    expect(report).toEqual(
      expect.objectContaining({ format: 'mlp.check-report', version: 1, check: 'guardrails', status: 'passed', exitCode: 0, findings: [] }),
    );
    expect(report.summary).toMatch(/^ok: \d+ rules, \d+ checks over 7 stacks, 0 errors/);
    expect(report.details[0]).toMatch(/^rule +severity +checked +failures +suppressed +description$/);
    expect(readCheck('Guardrails', file).status).toBe('passed');
  });

  test('a wrong tenant file is a report with status error naming the file, exit 1, which the review fails', async () => {
    const dir = tenantDir({ broken: { name: 'broken', owner: 'not-an-email' } });
    created.push(dir);
    const { code, report, file } = await run(dir);
    expect(code).toBe(1);
    expect(report.status).toBe('error');
    expect(report.details.join('\n')).toContain('broken.yaml');
    expect(readCheck('Guardrails', file).status).toBe('failed');
  });

  test('rejects an unknown format as a usage error', async () => {
    await expect(main(['--format', 'xml'])).rejects.toThrow('--format must be text or json');
  });
});

describe('npm run guardrails without a writable temporary directory', () => {
  test('is a rejected input (exit 1) naming the directory and the fix, not an internal error', () => {
    const dir = tempDir('mlp-guardrails-tmp-');
    created.push(dir);
    const notADirectory = path.join(dir, 'a-file');
    writeFileSync(notADirectory, 'x');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const saved = { PLATFORM_CONFIG: process.env.PLATFORM_CONFIG, TENANTS_DIR: process.env.TENANTS_DIR };
    process.env.PLATFORM_CONFIG = PLATFORM_FILE;
    process.env.TENANTS_DIR = SAMPLE_TENANTS_DIR;
    let failure: unknown;
    try {
      checkGuardrails(notADirectory);
    } catch (error) {
      failure = error;
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      stderr.mockRestore();
    }
    expect(failure).toBeInstanceOf(CliFailure);
    expect((failure as CliFailure).code).toBe(1);
    expect((failure as Error).message).toMatch(/^cannot create a scratch directory in .*a-file: it is .*; point TMPDIR at a writable directory$/);
  });
});
