import { formatFinding, type GuardrailFinding, type StackResult } from '../../guardrails/check';
import { PLATFORM_GUARDRAILS } from '../../guardrails/pack';
import { buildReport, formatReport } from '../../guardrails/report';

const failure = (stack: string, ruleId: string): GuardrailFinding => ({
  ruleId,
  severity: 'error',
  stack,
  path: `${stack}/b`,
  address: 'aws_s3_bucket.b',
  problem: 'the bucket is open',
  fix: 'close it',
});

const results: StackResult[] = [
  {
    stack: 'tenant-a',
    checked: { 'MLP-S3-1': 2, 'MLP-S3-5': 2 },
    findings: [failure('tenant-a', 'MLP-S3-1')],
    suppressions: [{ ruleId: 'MLP-S3-5', reason: 'scratch data', stack: 'tenant-a', path: 'tenant-a/scratch', address: 'aws_s3_bucket.scratch', hidden: 1 }],
  },
  { stack: 'tenant-b', checked: { 'MLP-S3-1': 3, 'MLP-S3-5': 3 }, findings: [failure('tenant-b', 'MLP-S3-1')], suppressions: [] },
];

describe('the guardrail report', () => {
  const report = buildReport(PLATFORM_GUARDRAILS, results);

  test('adds up checks, failures and suppressed failures per rule over all stacks', () => {
    const line = (id: string) => report.rules.find((rule) => rule.id === id);
    expect(line('MLP-S3-1')).toMatchObject({ checked: 5, failures: 2, suppressed: 0 });
    expect(line('MLP-S3-5')).toMatchObject({ checked: 5, failures: 0, suppressed: 1 });
    expect(line('MLP-SUPPRESS')).toMatchObject({ checked: 1, failures: 0 });
    expect(report.errors).toBe(2);
  });

  test('prints a table row per rule, then every failure and every suppression', () => {
    const lines = formatReport(report, formatFinding).split('\n');
    expect(lines).toContain('MLP-S3-1      error                5         2           0  S3 buckets block all public access');
    expect(lines).toContain('Failures (2):');
    expect(lines).toContain("  error  MLP-S3-1 in stack 'tenant-b' at tenant-b/b (aws_s3_bucket.b): the bucket is open. Fix: close it");
    expect(lines).toContain("  MLP-S3-5 in stack 'tenant-a' at tenant-a/scratch (aws_s3_bucket.scratch), hides 1: scratch data");
  });
});
