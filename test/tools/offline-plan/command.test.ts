import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../support/config-fixtures';
import { compiledCommand } from '../../support/run-command';

/** Runs `npm run plan:offline`'s code (compiled once per test run), with only the given environment. */
function planOfflineCommand(args: string[], env: NodeJS.ProcessEnv) {
  const [node, compiled] = compiledCommand('bin/plan-offline.ts');
  const result = spawnSync(node, [compiled, ...args], {
    cwd: tempDir('mlp-cli-'),
    env,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim().split('\n') };
}

describe('npm run plan:offline without terraform or a mirror', () => {
  test('says in one line that terraform is missing and exits 3', () => {
    const { code, stderr } = planOfflineCommand([], { PATH: tempDir('mlp-empty-path-') });
    expect(stderr).toEqual(['plan:offline: terraform not found on PATH: install Terraform >= 1.10 to plan offline']);
    expect(code).toBe(3);
  });

  test('says in one line that the mirror is missing and exits 4', () => {
    const bin = tempDir('mlp-fake-terraform-');
    writeFileSync(path.join(bin, 'terraform'), `#!/bin/sh\necho '{"terraform_version":"1.11.4"}'\n`);
    chmodSync(path.join(bin, 'terraform'), 0o755);
    const mirror = tempDir('mlp-empty-mirror-');
    const { code, stderr } = planOfflineCommand([], { PATH: bin, TF_PLUGIN_MIRROR: mirror });
    expect(stderr).toEqual([expect.stringMatching(new RegExp(`^plan:offline: TF_PLUGIN_MIRROR=${mirror} holds no providers: `))]);
    expect(code).toBe(4);
  });

  test('rejects an unknown option with the usage and exits 2', () => {
    const { code, stderr } = planOfflineCommand(['--fast'], { PATH: tempDir('mlp-empty-path-') });
    expect(stderr[0]).toBe('plan:offline: unknown option --fast');
    expect(stderr).toContain('Usage: npm run plan:offline -- [--synth <dir>] [--plans <dir>] [--stacks <a,b>] [--jobs <n>] [--online] [--strict]');
    expect(code).toBe(2);
  });
});
