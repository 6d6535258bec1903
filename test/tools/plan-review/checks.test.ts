/** Reading the guardrail and isolation-proof reports. */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../../kernel/errors';
import { readCheck } from '../../../tools/plan-review/checks';
import { removeTempDirs, tempDir } from './temp';

const dir = tempDir('plan-review-checks-');
function report(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

afterAll(removeTempDirs);

/** A check report as `--format json` writes it; override any field. */
function json(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: 'mlp.check-report',
    version: 1,
    check: 'guardrails',
    status: 'passed',
    summary: 'ok: 14 rules, 386 checks over 6 stacks, 0 errors, 0 warnings',
    exitCode: 0,
    findings: [],
    details: ['rule  checked  failures', 'MLP-S3-1  7  0'],
    ...fields,
  });
}

describe('check reports', () => {
  it('says "not run" without a file', () => {
    expect(readCheck('Guardrails', undefined)).toEqual(expect.objectContaining({ status: 'not run', summary: 'not run' }));
  });

  it('takes status, summary and details from a passed report', () => {
    const check = readCheck('Guardrails', report('g.json', json()));
    expect(check).toEqual({
      title: 'Guardrails',
      status: 'passed',
      summary: 'ok: 14 rules, 386 checks over 6 stacks, 0 errors, 0 warnings',
      details: 'rule  checked  failures\nMLP-S3-1  7  0',
    });
  });

  it('fails a failed report and keeps its warnings apart', () => {
    const failed = json({
      status: 'failed',
      exitCode: 1,
      findings: [{ severity: 'error', id: 'MLP-S3-1', message: 'MLP-S3-1 in stack x: public' }],
      details: [],
    });
    expect(readCheck('Guardrails', report('f.json', failed))).toEqual(
      expect.objectContaining({ status: 'failed', details: 'error  MLP-S3-1 in stack x: public' }),
    );
    expect(readCheck('Guardrails', report('w.json', json({ status: 'warnings' }))).status).toBe('warnings');
  });

  it('fails a check that could not run (status error): it decided nothing', () => {
    const check = readCheck(
      'Isolation proof',
      report('e.json', json({ check: 'prove-isolation', status: 'error', summary: 'could not run: cdktf.out: synth output directory not found', exitCode: 1 })),
    );
    expect(check).toEqual(expect.objectContaining({ status: 'failed', summary: 'could not run: cdktf.out: synth output directory not found' }));
  });

  it('rejects a text report, naming the file and the fix, instead of guessing from its words', () => {
    const file = report('g.txt', 'ok: 14 rules, 0 errors\n');
    expect(() => readCheck('Guardrails', file)).toThrow(InputError);
    expect(() => readCheck('Guardrails', file)).toThrow(`${file}: not a JSON check report`);
    expect(() => readCheck('Guardrails', file)).toThrow("write it with '--format json'");
  });

  it('rejects JSON of another shape, another version and fields of the wrong type', () => {
    expect(() => readCheck('Guardrails', report('o.json', JSON.stringify({ ok: true })))).toThrow(/not a check report \(no "format": "mlp\.check-report"\)/);
    expect(() => readCheck('Guardrails', report('v.json', json({ version: 2 })))).toThrow(/check report version 2 is not the version 1/);
    expect(() => readCheck('Guardrails', report('t.json', json({ status: 'fine', findings: [{ severity: 'info' }] })))).toThrow(
      /"status" must be one of[\s\S]*"findings" must be a list/,
    );
  });

  it('fails with the file named when the report is missing', () => {
    expect(() => readCheck('Guardrails', path.join(dir, 'missing.json'))).toThrow(/missing\.json: guardrails report not found/);
  });
});
