import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EXIT, InputError } from '../../kernel/errors';
import { parseStack, readStackBytes, readSynthManifest, readSynthOutput } from '../../kernel/synth-output';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'mlp-kernel-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A synth output with the given stacks (name -> file text) and manifest entries. */
function output(name: string, stacks: Record<string, string>, manifest?: unknown): string {
  const dir = path.join(root, name);
  for (const [stack, text] of Object.entries(stacks)) {
    mkdirSync(path.join(dir, 'stacks', stack), { recursive: true });
    writeFileSync(path.join(dir, 'stacks', stack, 'cdk.tf.json'), text);
  }
  mkdirSync(dir, { recursive: true });
  const entries = Object.fromEntries(
    Object.keys(stacks).map((stack) => [stack, { name: stack, synthesizedStackPath: `stacks/${stack}/cdk.tf.json`, dependencies: stack === 'b' ? ['a'] : [] }]),
  );
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest ?? { stacks: entries }));
  return dir;
}

describe('the synth output reader', () => {
  test('reads every stack, parsed, sorted by name, with its dependencies', () => {
    const dir = output('good', { b: '{"resource":{}}', a: '{"output":{}}' });
    expect(readSynthOutput(dir).map((stack) => [stack.name, Object.keys(stack.config)])).toEqual([
      ['a', ['output']],
      ['b', ['resource']],
    ]);
    expect(readSynthManifest(dir).stacks.get('b')?.dependencies).toEqual(['a']);
  });

  test('a missing directory, manifest or stack file is an InputError naming the file and the fix, exit 1', () => {
    const missing = path.join(root, 'nowhere');
    expect(() => readSynthManifest(missing, 'base')).toThrow(`${missing}: base directory not found; run 'npm run synth' with CDKTF_OUTDIR=${missing}`);
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    expect(() => readSynthManifest(empty)).toThrow(/manifest\.json: not found; .* is not a synth output/);
    const gone = output('gone', { a: '{}' });
    rmSync(path.join(gone, 'stacks'), { recursive: true });
    const entry = readSynthManifest(gone).stacks.get('a');
    expect(entry).toBeDefined();
    if (entry) expect(() => readStackBytes(entry)).toThrow(/cdk\.tf\.json: not found although manifest\.json lists stack 'a'/);
    try {
      readSynthOutput(gone);
      throw new Error('expected an InputError');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe(EXIT.rejected);
    }
  });

  test('malformed JSON, a manifest without stacks and a stack that is not an object are rejected', () => {
    expect(() => readSynthOutput(output('bad-json', { a: '{ not json' }))).toThrow(/cdk\.tf\.json: not valid JSON/);
    expect(() => readSynthManifest(output('no-stacks', {}, { version: 1 }))).toThrow(/has no "stacks" object/);
    expect(readSynthManifest(output('zero-stacks', {}, { stacks: {} })).stacks.size).toBe(0);
    expect(() => readSynthOutput(output('zero-stacks-all', {}, { stacks: {} }))).toThrow(/lists no stacks/);
    const array = output('array', { a: '[]' });
    const entry = readSynthManifest(array).stacks.get('a');
    if (!entry) throw new Error('stack a missing');
    expect(() => parseStack(entry, readStackBytes(entry))).toThrow(/expected a JSON object/);
  });

  test('every problem of the manifest is reported at once', () => {
    const dir = output('two-problems', {}, { stacks: { a: {}, b: { name: 'b' } } });
    try {
      readSynthManifest(dir);
      throw new Error('expected an InputError');
    } catch (error) {
      expect((error as InputError).problems).toHaveLength(2);
    }
  });

  test('never reads a file outside the output directory: a manifest path out of it, or a stack file that links out', () => {
    const secret = path.join(root, 'secret.json');
    writeFileSync(secret, '{"resource":{}}');
    const escaping = output('escaping', {}, { stacks: { a: { name: 'a', synthesizedStackPath: '../secret.json' } } });
    expect(() => readSynthManifest(escaping)).toThrow(/stack 'a' points outside the output directory/);
    const linked = output('linked', { a: '{}' });
    const file = path.join(linked, 'stacks', 'a', 'cdk.tf.json');
    rmSync(file);
    symlinkSync(secret, file);
    expect(() => readSynthManifest(linked)).toThrow(/stack 'a' is a link to .*secret\.json, outside the output directory/);
    // A link that stays inside the output directory is read as usual.
    const inside = output('inside', { a: '{"output":{}}', b: '{}' });
    const b = path.join(inside, 'stacks', 'b', 'cdk.tf.json');
    rmSync(b);
    symlinkSync(path.join(inside, 'stacks', 'a', 'cdk.tf.json'), b);
    expect(readSynthOutput(inside).map((stack) => stack.name)).toEqual(['a', 'b']);
  });
});
