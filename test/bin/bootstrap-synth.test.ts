import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PLATFORM_FILE, REPO_ROOT, tempDir } from '../support/config-fixtures';

function run(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, 'bin/bootstrap-synth.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run bootstrap:synth', () => {
  test('writes the bootstrap stack and says where', () => {
    const out = path.join(tempDir('mlp-bootstrap-bin-'), 'out');
    const { code, stdout } = run({ BOOTSTRAP_OUTDIR: out });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(
      `ok: synthesized the bootstrap stack into ${path.join(out, 'stacks', 'bootstrap', 'cdk.tf.json')}; apply it as described in docs/bootstrap.md`,
    );
    expect(existsSync(path.join(out, 'stacks', 'bootstrap', 'cdk.tf.json'))).toBe(true);
  });

  test('refuses a platform.yaml without the github block: exit 1, the field and the fix, no stack trace, nothing written', () => {
    const file = path.join(tempDir('mlp-bootstrap-bin-cfg-'), 'platform.yaml');
    writeFileSync(file, readFileSync(PLATFORM_FILE, 'utf8').replace(/^github:[\s\S]*?planEnvironment: plan[^\n]*\n/m, ''));
    const out = path.join(tempDir('mlp-bootstrap-bin-'), 'out');
    const { code, stderr } = run({ PLATFORM_CONFIG: file, BOOTSTRAP_OUTDIR: out });
    expect(code).toBe(1);
    expect(stderr).toContain("bootstrap:synth: platform.yaml: 'github' is missing; add github.repository (owner/name)");
    expect(stderr).toContain('nothing was written');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
