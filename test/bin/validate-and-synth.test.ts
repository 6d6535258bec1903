import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, tempDir, tenantDir, tenantFields } from '../support/config-fixtures';
import { compiledCommand } from '../support/run-command';

/** Runs a command of bin/, compiled once per test run (the code `npm run` runs through tsx). */
function run(script: string, env: Record<string, string>, args: string[] = []) {
  const [node, compiled] = compiledCommand(script);
  const result = spawnSync(node, [compiled, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run validate', () => {
  test('prints a one-line success summary for the samples', () => {
    const { code, stdout } = run('bin/validate.ts', {});
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('ok: platform.yaml and 3 tenant files in tenants are valid');
  });

  test('prints every problem, one line each, and exits 1 without a stack trace', () => {
    const dir = tenantDir({ a: tenantFields('a', { owner: 'x' }), b: tenantFields('c') });
    const { code, stderr } = run('bin/validate.ts', { TENANTS_DIR: dir });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/a\.yaml:\d+:\d+ owner: must be an e-mail address/);
    expect(lines[1]).toMatch(/b\.yaml:\d+:\d+ name: must equal the file name 'b'/);
    expect(lines[2]).toBe('validate: 2 problems found; nothing was written');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('answers --help with usage and exit 0', () => {
    const { code, stdout } = run('bin/validate.ts', {}, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run validate/);
  });
});

describe('npm run synth', () => {
  test('writes nothing, and keeps the previous output, when a tenant file is wrong', () => {
    const outdir = path.join(tempDir(), 'out');
    mkdirSync(path.join(outdir, 'stacks', 'previous'), { recursive: true });
    writeFileSync(path.join(outdir, 'manifest.json'), '{"previous":true}');
    const dir = tenantDir({ a: tenantFields('a', { quota: { cpu: 1, memoryGi: 1, gpus: 999 } }) });
    const { code, stderr } = run('bin/synth.ts', { TENANTS_DIR: dir, CDKTF_OUTDIR: outdir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/quota\.gpus: must be at most the platform cap of 64 GPUs, got 999/);
    expect(readdirSync(path.join(outdir, 'stacks'))).toEqual(['previous']);
    expect(readdirSync(path.dirname(outdir))).toEqual(['out']);
  });

  test('--synth names the output directory, before CDKTF_OUTDIR', () => {
    const outdir = path.join(tempDir(), 'out');
    const ignored = path.join(tempDir(), 'ignored');
    const { code, stdout } = run('bin/synth.ts', { CDKTF_OUTDIR: ignored }, ['--synth', outdir]);
    expect(code).toBe(0);
    expect(stdout).toContain(`into ${outdir}`);
    expect(existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
    expect(existsSync(ignored)).toBe(false);
  });

  test('synthesizes every stack into CDKTF_OUTDIR', () => {
    const outdir = path.join(tempDir(), 'out');
    const { code, stdout } = run('bin/synth.ts', { CDKTF_OUTDIR: outdir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: synthesized 10 stacks \(3 tenants\)/);
    for (const stack of [
      'organization',
      'shared',
      'shared-k8s',
      'shared-pools',
      'account-analytics',
      'tenant-analytics',
      'tenant-fraud-detection',
      'tenant-recsys-inference',
    ]) {
      expect(existsSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'))).toBe(true);
    }
  });
});
