/**
 * `npm run plan-review` as a user runs it: exit codes, files written, errors as lines.
 * The command runs in-process through the same frame as the binary; one test starts the
 * real process to check the exit code reaches the shell.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { reportError } from '../../../bin/cli';
import { main, USAGE } from '../../../bin/plan-review';
import { PLATFORM_FILE, removeTempDirs, REPO_ROOT, tempDir } from './temp';
import { passingChecks } from './fixtures';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const BIN = path.join(REPO_ROOT, 'bin', 'plan-review.ts');

/** Runs the command's main as runCli would: the result line, or the exit code and stderr of its error. */
function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  let stderr = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: 0, stdout: main(args), stderr };
  } catch (error) {
    const code = reportError('plan-review', USAGE, error);
    return { code, stdout: '', stderr };
  } finally {
    spy.mockRestore();
  }
}

/** A minimal synth output: an organization stack, and one account stack and one tenant stack per name. */
function synthOutput(tenants: string[], tenantStackText?: string): string {
  const dir = tempDir('plan-review-cli-');
  const stacks: Record<string, unknown> = {};
  const write = (name: string, body: string, dependencies: string[]) => {
    mkdirSync(path.join(dir, 'stacks', name), { recursive: true });
    writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), body);
    stacks[name] = { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, dependencies };
  };
  const resource = (type: string, name: string, path: string, config: Record<string, unknown>) => ({
    [type]: { [name]: { '//': { metadata: { path } }, ...config } },
  });
  write('organization', JSON.stringify({ resource: {} }), []);
  for (const t of tenants) {
    write(
      `account-${t}`,
      JSON.stringify({
        resource: resource('aws_organizations_account', `${t}-account_1A2B3C4D`, `account-${t}/${t}-account/account`, {
          email: `aws+${t}@example.com`,
          tags: { tenant: t },
        }),
      }),
      ['organization'],
    );
    write(
      `tenant-${t}`,
      tenantStackText ??
        JSON.stringify({ resource: resource('aws_s3_bucket', 'buckets_data_1A2B3C4D', `tenant-${t}/buckets/data`, { bucket: `mlp-${t}-data` }) }),
      [`account-${t}`],
    );
  }
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ stacks }));
  return dir;
}

afterAll(removeTempDirs);

describe('plan-review command', () => {
  it('exits 2 with the usage when --head is missing', () => {
    const { code, stderr } = run('--base', 'x');
    expect(code).toBe(2);
    expect(stderr).toContain('plan-review: --base and --head are both required');
    expect(stderr).toContain('Usage: npm run plan-review');
  });

  it('exits 1 (rejected input) naming a malformed stack file', () => {
    const base = synthOutput(['a']);
    const head = synthOutput(['a'], '{ not json');
    const { code, stderr } = run('--base', base, '--head', head, '--platform', PLATFORM_FILE);
    expect(code).toBe(1);
    expect(stderr).toMatch(/tenant-a\/cdk\.tf\.json: not valid JSON/);
  });

  it('exits 1 (rejected input) naming a base directory that does not exist', () => {
    const { code, stderr } = run('--base', '/nonexistent/base', '--head', synthOutput([]), '--platform', PLATFORM_FILE);
    expect(code).toBe(1);
    expect(stderr).toContain('/nonexistent/base: base directory not found');
  });

  it('exits 1 for a removed tenant and still writes the review and the changed stacks', () => {
    const base = synthOutput(['a', 'b']);
    const head = synthOutput(['a']);
    const out = path.join(tempDir('plan-review-cli-out-'), 'review.md');
    const changed = path.join(path.dirname(out), 'changed.txt');
    const { code, stderr } = run('--base', base, '--head', head, '--platform', PLATFORM_FILE, '--out', out, '--changed-stacks', changed);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^plan-review: blocked: 0 new, 0 changed, 1 removed tenant;/m);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toContain('Plan review: blocked');
    expect(readFileSync(changed, 'utf8')).toBe('');
  });

  it('exits 0 for a new tenant with one result line, and writes the unbounded review with --full', () => {
    const out = path.join(tempDir('plan-review-cli-out-'), 'review.md');
    const full = path.join(path.dirname(out), 'full.md');
    const { guardrailsFile: guardrails, proofFile: proof } = passingChecks();
    const { code, stdout } = run(
      '--base',
      synthOutput(['a']),
      '--head',
      synthOutput(['a', 'c']),
      '--platform',
      PLATFORM_FILE,
      '--out',
      out,
      '--full',
      full,
      '--guardrails',
      guardrails,
      '--proof',
      proof,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: 1 new, 0 changed, 0 removed tenants; .* in .*review\.md \(\d+\.\d s\)$/);
    expect(readFileSync(full, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });

  it('never says ok for checks it was given no report of', () => {
    const out = path.join(tempDir('plan-review-cli-out-'), 'review.md');
    const { code, stdout } = run('--base', synthOutput(['a']), '--head', synthOutput(['a', 'c']), '--platform', PLATFORM_FILE, '--out', out);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^needs attention: 1 new/);
    expect(readFileSync(out, 'utf8')).toContain('Guardrails not run: no report was given, so the review cannot say it passed');
    expect(readFileSync(out, 'utf8')).toContain('Isolation proof not run');
  });

  it('reaches the shell with exit code 1 and no stack trace when blocked', () => {
    const result = spawnSync(
      TSX,
      [BIN, '--base', synthOutput(['a', 'b']), '--head', synthOutput(['a']), '--out', path.join(tempDir('plan-review-cli-out-'), 'r.md')],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^plan-review: blocked: /m);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
