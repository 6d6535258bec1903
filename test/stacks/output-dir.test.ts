/**
 * The synth's output directory: what it replaces, what it refuses, what it cleans up. The
 * synth itself runs for real into scratch directories.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkOutputDir, createStaging, OutputDirRefused, removeStaging } from '../../stacks/output-dir';
import { synthesize } from '../../synth/synthesize';
import { freshnessOf, SYNTH_RECORD_FILE } from '../../stacks/synth-record';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir, tenantFields, writeTenant } from '../support/config-fixtures';

const paths = { platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR };
const dirs: string[] = [];
function scratch(): string {
  const dir = tempDir('mlp-outdir-');
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the synth output directory', () => {
  test('an earlier output is replaced as a whole, and a symbolic link inside it is removed, not followed', () => {
    const root = scratch();
    const outdir = path.join(root, 'out');
    synthesize({ paths, outdir });
    const outside = path.join(root, 'precious');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'data.txt'), 'keep');
    symlinkSync(outside, path.join(outdir, 'stacks', 'link'));
    writeFileSync(path.join(outdir, 'stale-extra.json'), '{}');

    synthesize({ paths, outdir });
    expect(readdirSync(outdir).sort()).toEqual(['manifest.json', 'stacks', SYNTH_RECORD_FILE]);
    expect(existsSync(path.join(outdir, 'stacks', 'link'))).toBe(false);
    expect(readFileSync(path.join(outside, 'data.txt'), 'utf8')).toBe('keep');
    // Nothing is left next to it either.
    expect(readdirSync(root).sort()).toEqual(['out', 'precious']);
  });

  test('an empty directory and a bare cdktf output (manifest.json and stacks/ only) may be replaced; anything more may not', () => {
    const root = scratch();
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    expect(() => checkOutputDir(empty, paths)).not.toThrow();
    const bare = path.join(root, 'bare');
    mkdirSync(path.join(bare, 'stacks'), { recursive: true });
    writeFileSync(path.join(bare, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: {} }));
    expect(() => checkOutputDir(bare, paths)).not.toThrow();
    writeFileSync(path.join(bare, 'notes.txt'), 'mine');
    expect(() => checkOutputDir(bare, paths)).toThrow(OutputDirRefused);
    // A manifest that is not cdktf's does not make a directory the synth's.
    const fake = path.join(root, 'fake');
    mkdirSync(path.join(fake, 'stacks'), { recursive: true });
    writeFileSync(path.join(fake, 'manifest.json'), '{"mine": true}');
    expect(() => checkOutputDir(fake, paths)).toThrow(/is not an earlier synth output/);
  });

  test('an output directory that would hold the settings is refused', () => {
    const root = scratch();
    const tenantsDir = path.join(root, 'tenants');
    mkdirSync(tenantsDir);
    expect(() => checkOutputDir(root, { platformFile: PLATFORM_FILE, tenantsDir })).toThrow(
      /holds .*tenants: the synth replaces its output directory as a whole/,
    );
  });

  test('a staging directory left by a killed run is removed by the next run; one of a live run is kept', () => {
    const root = scratch();
    const outdir = path.join(root, 'out');
    // A process id that cannot be running (above the kernel's maximum), and this process's.
    const dead = `${outdir}.synth-99999999-dead01`;
    mkdirSync(dead);
    const movedAside = `${dead}.old`;
    mkdirSync(movedAside);
    const live = `${outdir}.synth-${process.pid}-live01`;
    mkdirSync(live);
    const foreign = `${outdir}.synth-notours`;
    mkdirSync(foreign);

    const removed: string[] = [];
    const staging = createStaging(outdir, (line) => removed.push(line));
    removeStaging(staging);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(movedAside)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
    expect(removed.sort()).toEqual([
      expect.stringMatching(/out\.synth-99999999-dead01, left by an interrupted synth$/),
      expect.stringMatching(/out\.synth-99999999-dead01\.old, left by an interrupted synth$/),
    ]);
  });

  test('the record says what the output was made from, and tells when a file changed, was added or removed', () => {
    const root = scratch();
    const tenantsDir = path.join(root, 'tenants');
    mkdirSync(tenantsDir);
    writeTenant(tenantsDir, 'alpha', tenantFields('alpha'));
    writeTenant(tenantsDir, 'beta', tenantFields('beta'));
    const outdir = path.join(root, 'out');
    synthesize({ paths: { platformFile: PLATFORM_FILE, tenantsDir }, outdir });
    expect(freshnessOf(outdir).state).toBe('current');

    writeTenant(tenantsDir, 'alpha', tenantFields('alpha', { budget: { monthlyUsd: 6000 } }));
    writeTenant(tenantsDir, 'gamma', tenantFields('gamma'));
    rmSync(path.join(tenantsDir, 'beta.yaml'));
    const freshness = freshnessOf(outdir);
    expect(freshness).toMatchObject({ state: 'stale', changes: ['tenants/alpha.yaml changed', 'tenants/beta.yaml removed', 'tenants/gamma.yaml added'] });
  });
});
