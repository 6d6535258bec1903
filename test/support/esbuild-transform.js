// Jest's transform for TypeScript and for the ESM-only model packages: esbuild (the one tsx
// uses), compiling each file on its own to CommonJS. Type checking is `tsc --noEmit`'s job in
// `npm test`; compiling is all jest needs, and esbuild does it many times faster than
// ts-jest (the first run after a change, and every run of a fresh clone, compiles the whole
// tree and the model packages). Unlike ts-jest, it does not hoist `jest.mock(...)` above the
// imports: replace a module's export with `jest.spyOn(module, 'name')`, which works as with tsc.
const { createHash } = require('node:crypto');
const path = require('node:path');

const esbuild = require(require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsx/package.json'))] }));
const { version } = require(require.resolve('esbuild/package.json', { paths: [path.dirname(require.resolve('tsx/package.json'))] }));
const SELF = require('node:fs').readFileSync(__filename, 'utf8');

module.exports = {
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256').update(SELF).update(version).update('\0').update(sourcePath).update('\0').update(sourceText).digest('hex');
  },
  process(sourceText, sourcePath) {
    const { code, map } = esbuild.transformSync(sourceText, {
      loader: sourcePath.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      platform: 'node',
      target: 'es2022',
      // `await import(...)` becomes a require, as ts-jest's CommonJS output did: jest runs no native ESM.
      supported: { 'dynamic-import': false },
      // Class fields as tsc (and tsx) compile them for tsconfig.json's target ES2022: defined, not assigned.
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
      sourcemap: 'external',
      sourcefile: sourcePath,
    });
    return { code: configurableExports(code, sourcePath), map };
  },
};

// Two differences from tsc's CommonJS that tests see, undone here: esbuild's exports are
// getters that cannot be redefined (tsc's are plain properties), and `import * as m` gives a
// copy of the module (tsc's `__importStar` gives the module itself when it is compiled ESM).
// With both, `jest.spyOn(module, 'export')` replaces what every importer calls, as with tsc.
// esbuild renames the helpers' parameters when a file uses the same names (`name2`).
const EXPORT_HELPERS = [
  [/var __toESM = \((\w+), (\w+), (\w+)\) =>/, (_, mod, nodeMode, target) => `var __toESM = (${mod}, ${nodeMode}, ${target}) => ${mod}?.__esModule ? ${mod} :`],
  [
    /var __export = [\s\S]*?\{ get: (\w+)\[(\w+)\], enumerable: true \}/,
    (match) => match.replace(/enumerable: true \}$/, 'enumerable: true, configurable: true }'),
  ],
  [/var __copyProps = [\s\S]*?\{ get: \(\) => \w+\[\w+\], enumerable:/, (match) => match.replace(/enumerable:$/, 'configurable: true, enumerable:')],
];

function configurableExports(code, sourcePath) {
  let out = code;
  for (const [helper, configurable] of EXPORT_HELPERS) {
    const definition = helper.source.slice(0, helper.source.indexOf(' = ') + 3).replace(/\\/g, '');
    if (!out.includes(definition)) continue;
    if (!helper.test(out))
      throw new Error(`${sourcePath}: esbuild ${version} writes its helper ${definition.trim()} differently; update test/support/esbuild-transform.js`);
    out = out.replace(helper, configurable);
  }
  return out;
}
