/**
 * Provider classes are imported from deep paths (`@cdktf/provider-aws/lib/s3-bucket`), never
 * from the package root: the root index loads every resource class of the provider (over a
 * thousand modules for AWS), which costs seconds and hundreds of MB on every command.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { importsOf, layerViolations, productionImportGraph } from './support/layers';

const REPO_ROOT = path.resolve(__dirname, '..');
const PROVIDER_PACKAGES = ['@cdktf/provider-aws', '@cdktf/provider-kubernetes'];
/** Build output, generated files and dependencies; `cdktf.out.synth-*` are synth staging directories. */
const SKIPPED_DIRECTORIES = /^(node_modules|cdktf\.out.*|dist|coverage|\..*)$/;

interface RootImport {
  readonly line: number;
  readonly specifier: string;
}

/** Root imports of a provider package in TypeScript source: import, export from, require() and import(). */
function rootProviderImports(source: string): RootImport[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  const lineOf = (position: number) => source.slice(0, position).split('\n').length;
  return importedFiles
    .filter(({ fileName }) => PROVIDER_PACKAGES.some((root) => fileName === root || fileName === `${root}/lib` || fileName === `${root}/lib/index`))
    .map(({ fileName, pos }) => ({ line: lineOf(pos), specifier: fileName }));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.test(entry.name) ? [] : sourceFiles(path.join(dir, entry.name));
    return entry.isFile() && entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [];
  });
}

// Spelled in pieces so this file's own text holds no root import.
const AWS = ['@cdktf', 'provider-aws'].join('/');
const KUBERNETES = ['@cdktf', 'provider-kubernetes'].join('/');

describe('the provider import checker', () => {
  it('fails an import from the AWS package root, on its line', () => {
    expect(rootProviderImports(`import { Fn } from 'cdktf';\nimport { S3Bucket } from '${AWS}';\n`)).toEqual([{ line: 2, specifier: AWS }]);
  });

  it('fails a namespace import of the kubernetes package root and of its lib index', () => {
    const found = rootProviderImports(`import * as k8s from "${KUBERNETES}";\nimport { namespaceV1 } from '${KUBERNETES}/lib';\n`);
    expect(found.map((f) => f.specifier)).toEqual([KUBERNETES, `${KUBERNETES}/lib`]);
  });

  it('fails require(), dynamic import() and export from the package root', () => {
    const source = `const aws = require('${AWS}');\nconst later = import('${AWS}');\nexport { provider } from '${AWS}';\n`;
    expect(rootProviderImports(source).map((f) => f.line)).toEqual([1, 2, 3]);
  });

  it('passes deep paths and ignores a root name inside a comment', () => {
    const source = `// not from '${AWS}'\nimport { S3Bucket } from '${AWS}/lib/s3-bucket';\nimport { NamespaceV1 } from '${KUBERNETES}/lib/namespace-v1';\n`;
    expect(rootProviderImports(source)).toEqual([]);
  });
});

describe('source files', () => {
  it('import provider classes only from deep paths', () => {
    const files = sourceFiles(REPO_ROOT);
    expect(files).toContain(path.join(REPO_ROOT, 'stacks', 'tenant-stack.ts'));
    const offenders = files.flatMap((file) =>
      rootProviderImports(readFileSync(file, 'utf8')).map(
        ({ line, specifier }) =>
          `${path.relative(REPO_ROOT, file)}:${line} imports '${specifier}'; import the class from its deep path (${specifier}/lib/<resource>)`,
      ),
    );
    expect(offenders).toEqual([]);
  });
});

describe('the layer checker', () => {
  const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

  it('passes imports that go down a layer or stay inside a unit', () => {
    expect(
      layerViolations(graph({ 'stacks/a.ts': ['constructs/b.ts', 'kernel/c.ts', 'stacks/d.ts'], 'stacks/d.ts': [], 'bin/x.ts': ['tools/plan-review/y.ts'] })),
    ).toEqual([]);
  });

  it('fails an upward import, an import between units of one layer and an import of test code', () => {
    const found = layerViolations(
      graph({ 'stacks/platform.ts': ['guardrails/aspect.ts'], 'proof/planned.ts': ['tools/offline-plan/index.ts'], 'bench/bench.ts': ['test/support/x.ts'] }),
    );
    expect(found.map((v) => v.reason)).toEqual([
      expect.stringContaining('a higher layer'),
      expect.stringContaining('a unit of the same layer'),
      expect.stringContaining('imports test code'),
    ]);
  });

  it('fails a cycle inside one unit and a file outside every layer', () => {
    const found = layerViolations(graph({ 'stacks/a.ts': ['stacks/b.ts'], 'stacks/b.ts': ['stacks/a.ts'], 'scripts/x.ts': [] }));
    expect(found.map((v) => v.reason)).toEqual([expect.stringContaining('belongs to no layer'), 'import cycle: stacks/a.ts -> stacks/b.ts -> stacks/a.ts']);
  });

  it('resolves relative specifiers to files, index files included', () => {
    const known = new Set(['tools/offline-plan/index.ts', 'kernel/errors.ts']);
    expect(
      importsOf(
        'bin/x.ts',
        "import { a } from '../tools/offline-plan';\nimport type { E } from '../kernel/errors';\nimport { readFileSync } from 'node:fs';",
        (c) => known.has(c),
      ),
    ).toEqual(['tools/offline-plan/index.ts', 'kernel/errors.ts']);
  });
});

describe('the code base', () => {
  it('obeys the layers: no upward import, no import between units of a layer, no test code, no cycle', () => {
    const imports = productionImportGraph(REPO_ROOT);
    // The graph is the whole code base, not an empty set that would pass anything.
    expect(imports.size).toBeGreaterThan(100);
    expect(imports.get('stacks/tenant-stack.ts')?.length).toBeGreaterThan(3);
    expect(layerViolations(imports).map((v) => v.reason)).toEqual([]);
  });
});
