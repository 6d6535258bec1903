import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { reportError } from '../../bin/cli';
import { loadConfig } from '../../config/load';
import * as tags from '../../constructs/common/tags';
import { guardrailAspectOf } from '../../guardrails/aspect';
import { PLATFORM_GUARDRAILS } from '../../guardrails/pack';
import { buildReport } from '../../guardrails/report';
import { GuardrailViolations, synthesizeCollectingErrors } from '../../synth/collect-errors';
import { buildCheckedPlatform } from '../../synth/platform';
import { synthesize } from '../../synth/synthesize';
import { PLATFORM_FILE, REPO_ROOT, SAMPLE_TENANTS_DIR, tempDir } from '../support/config-fixtures';

const SAMPLES = { platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR };

describe('the platform pack', () => {
  test('holds exactly these rules, in this order', () => {
    expect(PLATFORM_GUARDRAILS.map((rule) => `${rule.id} ${rule.severity}`)).toEqual([
      'MLP-S3-1 error',
      'MLP-S3-2 error',
      'MLP-S3-3 error',
      'MLP-S3-4 error',
      'MLP-S3-5 error',
      'MLP-KMS-1 error',
      'MLP-LIFE-1 error',
      'MLP-TAG-1 error',
      'MLP-IAM-1 error',
      'MLP-IAM-2 error',
      'MLP-IAM-3 error',
      'MLP-IAM-4 error',
      'MLP-EKS-1 error',
      'MLP-EKS-2 error',
      'MLP-EKS-3 error',
      'MLP-Q-1 error',
      'MLP-Q-2 error',
      'MLP-VOL-1 error',
      'MLP-VOL-2 error',
      'MLP-MET-1 error',
      'MLP-TEN-1 error',
      'MLP-TF-1 error',
      'MLP-TF-2 error',
    ]);
  });

  test('gives every rule a one-line description', () => {
    for (const rule of PLATFORM_GUARDRAILS) expect(rule.description).toMatch(/^[A-Z][^\n]{10,90}$/);
  });

  test('passes every sample stack, and every rule checks something in them', () => {
    const outdir = tempDir();
    try {
      const app = new App({ outdir });
      const stacks = buildCheckedPlatform(app, loadConfig(SAMPLES));
      expect(synthesizeCollectingErrors(app)).toEqual([]);
      const all = [stacks.organization, stacks.shared, stacks.sharedK8s, ...stacks.accounts, ...stacks.tenants];
      const results = all.map((stack) => guardrailAspectOf(stack)?.result);
      expect(results.every((result) => result !== undefined)).toBe(true);
      const report = buildReport(
        PLATFORM_GUARDRAILS,
        results.flatMap((result) => (result ? [result] : [])),
      );
      expect(report.findings).toEqual([]);
      expect(report.rules.filter((rule) => rule.id.startsWith('MLP-') && rule.id !== 'MLP-SUPPRESS' && rule.checked === 0).map((rule) => rule.id)).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('synthesize() with a guardrail failure', () => {
  afterEach(() => jest.restoreAllMocks());

  test('throws every failure of every stack, naming stack, path, rule and fix, and writes nothing', () => {
    const real = tags.tenantTags;
    jest.spyOn(tags, 'tenantTags').mockImplementation((platformName, tenant, extra) => {
      const { [tags.TAG.managedBy]: _dropped, ...rest } = real(platformName, tenant, extra);
      return rest;
    });
    // An earlier output (a bare cdktf one): the synth may replace it, and must keep it on failure.
    const outdir = path.join(tempDir(), 'cdktf.out');
    mkdirSync(path.join(outdir, 'stacks'), { recursive: true });
    writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: {} }));
    writeFileSync(path.join(outdir, 'stacks', 'previous-output'), 'kept');
    let thrown: unknown;
    try {
      synthesize({ paths: SAMPLES, outdir });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GuardrailViolations);
    const lines = (thrown as Error).message.split('\n');
    expect(lines[0]).toMatch(/^\d+ errors in 6 stacks; nothing was written$/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}MLP-TAG-1 in stack 'tenant-fraud-detection' at tenant-fraud-detection\/key\/key\/key \(aws_kms_key\.[\w-]+\): it lacks the tag managed-by\. Fix: /,
      ),
    );
    for (const stack of ['tenant-analytics', 'tenant-fraud-detection', 'tenant-recsys-inference'])
      expect(lines.some((line) => line.includes(`in stack '${stack}'`))).toBe(true);
    expect(readdirSync(path.dirname(outdir))).toEqual(['cdktf.out']);
    expect(readdirSync(outdir).sort()).toEqual(['manifest.json', 'stacks']);
    expect(readdirSync(path.join(outdir, 'stacks'))).toEqual(['previous-output']);
  });

  test('prints as lines without a stack trace and exits 1', () => {
    const written: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const code = reportError(
      'synth',
      'usage',
      new GuardrailViolations([{ stack: 's', path: 's/b', message: "MLP-S3-5 in stack 's' at s/b (aws_s3_bucket.b): x. Fix: y" }]),
    );
    expect(code).toBe(1);
    expect(written.join('')).toBe("synth: 1 error in 1 stack; nothing was written\n  MLP-S3-5 in stack 's' at s/b (aws_s3_bucket.b): x. Fix: y\n");
  });
});

describe('npm run guardrails', () => {
  test('prints the table of every rule and a one-line result for the samples', () => {
    const run = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['bin/guardrails.ts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, TENANTS_DIR: SAMPLE_TENANTS_DIR },
    });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^rule +severity +checked +failures +suppressed +description$/);
    for (const rule of PLATFORM_GUARDRAILS)
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${rule.id} +error +\\d+ +0 +0 +${rule.description.replace(/[*'()]/g, '\\$&')}$`)));
    expect(lines[lines.length - 1]).toMatch(
      new RegExp(`^ok: ${PLATFORM_GUARDRAILS.length} rules, \\d+ checks over 7 stacks, 0 errors, 0 warnings, 0 suppressions in [\\d.]+ s$`),
    );
  });
});
