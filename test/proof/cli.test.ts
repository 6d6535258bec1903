import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT, tempDir } from './plant';

describe('npm run prove-isolation', () => {
  test('exits 1 (rejected input) with a readable line and no stack trace when the synthesized output is missing', () => {
    const missing = path.join(tempDir('mlp-proof-none-'), 'cdktf.out');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/prove-isolation.ts', '--synth', missing], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `prove-isolation: ${missing}: synth output directory not found; run 'npm run synth' with CDKTF_OUTDIR=${missing}, or pass --synth <dir>`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
