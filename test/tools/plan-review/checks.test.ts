/** Reading the guardrail and isolation-proof reports. */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readCheck } from '../../../tools/plan-review/checks';
import { removeTempDirs, tempDir } from './temp';

const dir = tempDir('plan-review-checks-');
function report(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

afterAll(removeTempDirs);

describe('check reports', () => {
  it('says "not run" without a file', () => {
    expect(readCheck('Guardrails', undefined)).toEqual(expect.objectContaining({ status: 'not run', summary: 'not run' }));
  });

  it('passes a text report whose result line starts with ok, and uses that line', () => {
    const check = readCheck('Guardrails', report('g.txt', 'rule  checked  failures\nMLP-S3-1  7  0\n\nok: 14 rules, 386 checks over 6 stacks, 0 errors, 0 warnings\n'));
    expect(check.status).toBe('passed');
    expect(check.summary).toBe('ok: 14 rules, 386 checks over 6 stacks, 0 errors, 0 warnings');
    expect(check.details).toContain('MLP-S3-1');
  });

  it('does not read table cells such as "MLP-S3-1   error   7   0" as error counts', () => {
    const table = [
      'rule          severity       checked  failures  suppressed  description',
      'MLP-S3-1      error                7         0           0  S3 buckets block all public access',
      'MLP-EKS-1     error                2         0           0  Tenant GPU node groups carry the tenant taint',
      'ok: 14 rules, 386 checks over 6 stacks, 0 errors, 0 warnings, 0 suppressions in 3.0 s',
    ].join('\n');
    expect(readCheck('Guardrails', report('table.txt', table)).status).toBe('passed');
  });

  it('fails a text report with a non-zero exit code line', () => {
    const check = readCheck('Isolation proof', report('p.txt', 'matrix\nsomething went wrong\nexit code: 1\n'));
    expect(check.status).toBe('failed');
    expect(check.summary).toBe('something went wrong');
    expect(check.details).not.toContain('exit code');
  });

  it('fails a text report that counts errors or leaks above zero', () => {
    expect(readCheck('Guardrails', report('e.txt', 'guardrails: failed: 14 rules, 3 errors, 0 warnings\n')).status).toBe('failed');
    expect(readCheck('Isolation proof', report('l.txt', '2 leaks found between tenants\n')).status).toBe('failed');
  });

  it('reports warnings when an ok line counts some', () => {
    expect(readCheck('Guardrails', report('w.txt', 'ok: 0 errors, 2 warnings\n')).status).toBe('warnings');
  });

  it('calls a report without a recognisable result unclear', () => {
    expect(readCheck('Guardrails', report('u.txt', 'hello\n')).status).toBe('unclear');
  });

  it('reads a JSON report with ok and a findings list', () => {
    const check = readCheck('Guardrails', report('g.json', JSON.stringify({ ok: false, errors: [{ rule: 'MLP-S3-1', address: 'aws_s3_bucket.x', message: 'public' }] })));
    expect(check.status).toBe('failed');
    expect(check.summary).toBe('1 error');
    expect(check.details).toBe('- MLP-S3-1 · aws_s3_bucket.x · public');
  });

  it('reads a JSON report with a status word and a summary', () => {
    const check = readCheck('Isolation proof', report('p.json', JSON.stringify({ status: 'passed', summary: '3 tenants isolated' })));
    expect(check).toEqual(expect.objectContaining({ status: 'passed', summary: '3 tenants isolated' }));
  });

  it('fails a JSON report that says ok but counts errors', () => {
    expect(readCheck('Guardrails', report('c.json', JSON.stringify({ status: 'ok', errors: 2 }))).status).toBe('failed');
  });

  it('keeps a Markdown report as Markdown', () => {
    expect(readCheck('Isolation proof', report('p.md', '| a | b |\n| - | - |\nok: isolated\n')).markdown).toBe(true);
  });

  it('fails with the file named when the report is missing', () => {
    expect(() => readCheck('Guardrails', path.join(dir, 'missing.txt'))).toThrow(/missing\.txt: guardrails report not found/);
  });
});
