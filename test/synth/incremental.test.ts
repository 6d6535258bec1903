import { appendFileSync, copyFileSync, cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inputDigest } from '../../config/input-digest';
import { STACK } from '../../config/names';
import { planIncremental, synthesizeIncrementally } from '../../synth/incremental';
import { synthesize } from '../../synth/synthesize';
import { SYNTH_RECORD_FILE } from '../../stacks/synth-record';
import { PLATFORM_FILE, tempDir } from '../support/config-fixtures';
import { generatedTenantName, generateTenants } from '../support/tenant-generator';

/** Every file below `dir`, relative, sorted. */
function filesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('incremental synth of the changed tenants', () => {
  let root: string;
  let baseTenants: string;
  let baseOut: string;
  const quiet = () => undefined;

  beforeAll(() => {
    root = tempDir('mlp-incremental-');
    baseTenants = path.join(root, 'base-tenants');
    // Six generated tenants (training, inference and CPU-only); the base has the first five.
    generateTenants(6, path.join(root, 'six'));
    cpSync(path.join(root, 'six'), baseTenants, { recursive: true });
    rmSync(path.join(baseTenants, `${generatedTenantName(5)}.yaml`));
    baseOut = path.join(root, 'base-out');
    synthesize({ paths: { platformFile: PLATFORM_FILE, tenantsDir: baseTenants }, outdir: baseOut });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function headTenants(name: string): string {
    const dir = path.join(root, name);
    cpSync(baseTenants, dir, { recursive: true });
    return dir;
  }

  test('writes, byte for byte, what a full synth of the head writes, rebuilding only the changed, new and removed tenants', () => {
    const head = headTenants('head');
    const changed = path.join(head, `${generatedTenantName(2)}.yaml`);
    writeFileSync(
      changed,
      readFileSync(changed, 'utf8').replace(/monthlyUsd: (\d+)/, (_, n) => `monthlyUsd: ${Number(n) + 100}`),
    );
    copyFileSync(path.join(root, 'six', `${generatedTenantName(5)}.yaml`), path.join(head, `${generatedTenantName(5)}.yaml`));
    rmSync(path.join(head, `${generatedTenantName(1)}.yaml`));
    const paths = { platformFile: PLATFORM_FILE, tenantsDir: head };

    const incremental = synthesizeIncrementally({ paths, outdir: path.join(root, 'incremental'), base: baseOut, progress: quiet });
    expect(incremental).toMatchObject({
      mode: 'incremental',
      changed: [generatedTenantName(2), generatedTenantName(5)].sort(),
      removed: [generatedTenantName(1)],
      reused: 6,
    });
    synthesize({ paths, outdir: path.join(root, 'full') });

    const files = filesOf(path.join(root, 'full'));
    expect(files).toContain(SYNTH_RECORD_FILE);
    expect(files).toContain(`stacks/tenant-${generatedTenantName(5)}/cdk.tf.json`);
    expect(filesOf(path.join(root, 'incremental'))).toEqual(files);
    for (const file of files) {
      const same = readFileSync(path.join(root, 'incremental', file)).equals(readFileSync(path.join(root, 'full', file)));
      expect([file, same]).toEqual([file, true]);
    }
    // An unchanged tenant's stack is the base's file itself, not a new write.
    const unchanged = `stacks/tenant-${generatedTenantName(0)}/cdk.tf.json`;
    expect(statSync(path.join(root, 'incremental', unchanged)).ino).toBe(statSync(path.join(baseOut, unchanged)).ino);
  });

  test('falls back to a full synth, saying why, when platform.yaml changed', () => {
    const platformFile = path.join(root, 'platform.yaml');
    copyFileSync(PLATFORM_FILE, platformFile);
    appendFileSync(platformFile, '# edited\n');
    const result = synthesizeIncrementally({ paths: { platformFile, tenantsDir: baseTenants }, outdir: path.join(root, 'platform-changed'), base: baseOut });
    expect(result.mode).toBe('full');
    expect(result.fallback).toBe('platform.yaml changed');
    expect(result.changed).toHaveLength(5);
  });

  test('does not reuse a base without a record, made by other code, or missing a stack', () => {
    const head = inputDigest({ platformFile: PLATFORM_FILE, tenantsDir: baseTenants });
    const plan = (base: string) => planIncremental(base, head, 'platform.yaml', Object.values(STACK));
    expect(plan(baseOut)).toMatchObject({ kind: 'incremental', changed: [], removed: [] });

    const noRecord = path.join(root, 'no-record');
    cpSync(baseOut, noRecord, { recursive: true });
    rmSync(path.join(noRecord, SYNTH_RECORD_FILE));
    expect(plan(noRecord)).toMatchObject({ kind: 'full', reason: expect.stringMatching(/has no synth record/) });

    const otherCode = path.join(root, 'other-code');
    cpSync(baseOut, otherCode, { recursive: true });
    const record = JSON.parse(readFileSync(path.join(otherCode, SYNTH_RECORD_FILE), 'utf8'));
    writeFileSync(path.join(otherCode, SYNTH_RECORD_FILE), JSON.stringify({ ...record, code: 'other' }));
    expect(plan(otherCode)).toMatchObject({ kind: 'full', reason: expect.stringMatching(/synthesized by other code/) });

    const partial = path.join(root, 'partial');
    cpSync(baseOut, partial, { recursive: true });
    rmSync(path.join(partial, 'stacks', `tenant-${generatedTenantName(0)}`), { recursive: true });
    expect(plan(partial)).toMatchObject({ kind: 'full', reason: expect.stringMatching(/does not hold the stacks its synth record names/) });
  });
});
