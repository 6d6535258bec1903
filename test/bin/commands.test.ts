/** Every command has the same shape and the same flags: thin bin/ files, --synth with CDKTF_OUTDIR as its default. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { synthDirOf } from '../../bin/cli';
import { REPO_ROOT } from '../support/config-fixtures';

const BIN = path.join(REPO_ROOT, 'bin');
const commands = readdirSync(BIN).filter((file) => file.endsWith('.ts') && file !== 'cli.ts');

describe('the commands in bin/', () => {
  test('each exports its USAGE and a main(args), and runs in the CLI frame only as the main module', () => {
    expect(commands.length).toBeGreaterThanOrEqual(9);
    const odd = commands.filter((file) => {
      const text = readFileSync(path.join(BIN, file), 'utf8');
      return (
        !/^export const USAGE = /m.test(text) ||
        !/^export (async )?function (main|\w+Command)\(/m.test(text) ||
        !/^if \(require\.main === module\) runCli\(/m.test(text)
      );
    });
    // tenant:new keeps its own frame for now (its prompts are being reworked).
    expect(odd).toEqual(['tenant-new.ts']);
  });

  test('every command that reads or writes a synth output takes --synth and says so in its usage', () => {
    for (const file of ['synth.ts', 'prove-isolation.ts', 'plan-offline.ts']) {
      expect(readFileSync(path.join(BIN, file), 'utf8')).toMatch(/--synth <dir>[^\n]*\n?[^\n]*CDKTF_OUTDIR/);
    }
  });
});

describe('synthDirOf', () => {
  test('--synth first, then CDKTF_OUTDIR, then cdktf.out', () => {
    expect(synthDirOf({ synth: 'a' }, { CDKTF_OUTDIR: 'b' })).toBe('a');
    expect(synthDirOf({}, { CDKTF_OUTDIR: 'b' })).toBe('b');
    expect(synthDirOf({}, { CDKTF_OUTDIR: '' })).toBe('cdktf.out');
    expect(synthDirOf({}, {})).toBe('cdktf.out');
  });
});
