/**
 * A synth killed while it writes leaves its staging directory, never a half-written output;
 * the next synth removes what it left.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, tempDir } from '../support/config-fixtures';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

test('a killed synth leaves only its staging directory, and the next synth removes it', async () => {
  const root = tempDir('mlp-interrupted-');
  try {
    const outdir = path.join(root, 'cdktf.out');
    const env = { ...process.env, CDKTF_OUTDIR: outdir };
    // Its own process group, killed as a whole as Ctrl-C does: tsx runs the synth in a child process.
    const child = spawn(TSX, [path.join(REPO_ROOT, 'bin', 'synth.ts')], { cwd: REPO_ROOT, env, stdio: 'ignore', detached: true });
    const staging = await new Promise<string>((resolve, reject) => {
      const poll = setInterval(() => {
        const found = readdirSync(root).find((entry) => entry.startsWith('cdktf.out.synth-'));
        if (found) {
          clearInterval(poll);
          process.kill(-child.pid!, 'SIGKILL');
          resolve(found);
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(poll);
        reject(new Error('the synth ended before its staging directory was seen'));
      });
    });
    // The process that made the staging directory (its id is in the name) is gone.
    const pid = Number(/synth-(\d+)-/.exec(staging)![1]);
    for (let i = 0; i < 200 && isRunning(pid); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(root)).toEqual([staging]);

    const again = spawnSync(TSX, [path.join(REPO_ROOT, 'bin', 'synth.ts')], { cwd: REPO_ROOT, env, encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`removed ${path.join(root, staging)}, left by an interrupted synth`);
    expect(readdirSync(root)).toEqual(['cdktf.out']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
