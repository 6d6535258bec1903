/**
 * The commands themselves, spawned only for what the library tests cannot show: exit codes,
 * output streams, a terminal. The terminal case starts the command through tsx as npm does;
 * the others run it compiled once per test run (test/support/run-command.ts), the same code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SCHEMA_MODELINE } from '../../../tools/tenant/scaffold';
import { compiledCommand } from '../../support/run-command';
import { REPO_ROOT, removeCopies, samplesCopy } from './fixtures';

const TSX = path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');
const SCRIPT = '/usr/bin/script';

afterAll(removeCopies);

function run(bin: string, args: string[], env: Record<string, string> = {}) {
  const [node, compiled] = compiledCommand(bin);
  const result = spawnSync(node, [compiled, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    input: '',
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('npm run tenant:new', () => {
  test('answers --help with usage and exit 0', () => {
    const { code, stdout } = run('bin/tenant-new.ts', ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run tenant:new -- --name <name> --owner <email> --cost-center <code>/);
  });

  test('exits 2 listing the missing flags when there is no terminal to ask on, writing nothing', () => {
    const paths = samplesCopy();
    const before = readdirSync(paths.tenantsDir);
    const { code, stderr } = run('bin/tenant-new.ts', ['--owner', 'a@b.co'], { TENANTS_DIR: paths.tenantsDir });
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe('tenant:new: missing --name, --cost-center: give them as flags (no terminal to ask on)');
    expect(readdirSync(paths.tenantsDir)).toEqual(before);
  });

  test('writes the file with a one-line result, then exits 1 rather than overwrite it', () => {
    const paths = samplesCopy();
    const args = ['--name', 'speech', '--owner', 'speech@corp.example', '--cost-center', 'cc-77', '--gpu', 'g6.xlarge:2'];
    const first = run('bin/tenant-new.ts', args, { TENANTS_DIR: paths.tenantsDir });
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^ok: wrote .*speech\.yaml \(gpu g6\.xlarge spot 0-2, budget \$[\d,]+, GPU ceiling \$[\d,]+\); valid with 3 other tenant files/),
    ]);
    expect(first.stderr).toMatch(/^tenant:new: checking /);
    const file = path.join(paths.tenantsDir, 'speech.yaml');
    const written = readFileSync(file);

    const second = run('bin/tenant-new.ts', [...args.slice(0, 6), '--budget', '99'], { TENANTS_DIR: paths.tenantsDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/speech\.yaml already exists: tenant:new never overwrites a tenant/);
    expect(readFileSync(file).equals(written)).toBe(true);
  });

  (existsSync(SCRIPT) ? test : test.skip)('asks for the missing values on a terminal', () => {
    const paths = samplesCopy();
    const command = [process.execPath, TSX, path.join(REPO_ROOT, 'bin/tenant-new.ts'), '--owner', 'speech@corp.example'].map(quote).join(' ');
    // `script` gives the command a pseudo-terminal; the answers are typed into it.
    const result = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], {
      cwd: REPO_ROOT,
      env: { ...process.env, TENANTS_DIR: paths.tenantsDir },
      input: 'speech\ncc-77\n\n1500\n',
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(result.stdout).toMatch(/Tenant name/);
    expect(result.stdout).not.toMatch(/Owner's e-mail/);
    expect(result.status).toBe(0);
    const text = readFileSync(path.join(paths.tenantsDir, 'speech.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(SCHEMA_MODELINE);
    expect(text).toMatch(/^costCenter: cc-77$/m);
    expect(text).toMatch(/^ {2}monthlyUsd: 1500$/m);
  });
});

describe('npm run tenant:describe', () => {
  test('prints the table and ends with a one-line result', () => {
    const { code, stdout } = run('bin/tenant-describe.ts', ['fraud-detection'], { TENANTS_DIR: samplesCopy().tenantsDir });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Tenant fraud-detection · /);
    expect(lines[lines.length - 1]).toMatch(/^fraud-detection: 3 buckets, 1 GPU pool, GPU ceiling \$[\d,]+ per month within the budget \$20,000$/);
  });

  test('prints only the Mermaid block on standard output, the result on standard error', () => {
    const { code, stdout, stderr } = run('bin/tenant-describe.ts', ['recsys-inference', '--format', 'mermaid'], { TENANTS_DIR: samplesCopy().tenantsDir });
    expect(code).toBe(0);
    expect(stdout.startsWith('```mermaid\nflowchart LR\n')).toBe(true);
    expect(stdout.trimEnd().endsWith('```')).toBe(true);
    expect(stderr.trim()).toMatch(/^recsys-inference: 2 buckets, 1 GPU pool/);
  });

  test('exits 1 for an unknown tenant, suggesting the closest name', () => {
    const { code, stderr } = run('bin/tenant-describe.ts', ['fraud-detecton'], { TENANTS_DIR: samplesCopy().tenantsDir });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(
      /^tenant:describe: no tenant 'fraud-detecton' in .* \(did you mean 'fraud-detection'\?\); the tenants are analytics, fraud-detection, recsys-inference$/,
    );
  });
});
