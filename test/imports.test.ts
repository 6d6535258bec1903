/**
 * Provider classes are imported from deep paths (`@cdktf/provider-aws/lib/s3-bucket`), never
 * from the package root: the root index loads every resource class of the provider (over a
 * thousand modules for AWS), which costs seconds and hundreds of MB on every command.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

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
      rootProviderImports(readFileSync(file, 'utf8')).map(({ line, specifier }) => `${path.relative(REPO_ROOT, file)}:${line} imports '${specifier}'; import the class from its deep path (${specifier}/lib/<resource>)`),
    );
    expect(offenders).toEqual([]);
  });
});
