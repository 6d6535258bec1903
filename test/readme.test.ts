import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXIT } from '../bin/cli';
import { REPO_ROOT } from './support/config-fixtures';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const scripts = Object.keys(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>);

/** `npm run <script>` mentions in the text, code blocks included. */
function npmRunScripts(text: string): string[] {
  return [...new Set([...text.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]))];
}

function codeBlocks(text: string): string[] {
  return [...text.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('README', () => {
  test('its exit-code table documents every code the commands use', () => {
    const documented = [...readme.matchAll(/^\| (\d+) \| /gm)].map((m) => Number(m[1]));
    // plan:offline adds 3 (no terraform) and 4 (no plugin mirror) to the shared codes.
    expect(documented).toEqual([...Object.values(EXIT).filter((code) => code !== EXIT.internal), 3, 4, EXIT.internal]);
  });

  test('finds npm run mentions, so the checks below can fail', () => {
    expect(npmRunScripts('run `npm run nope` then npm run synth:cdktf')).toEqual(['nope', 'synth:cdktf']);
  });

  test('every npm run command it shows is a script in package.json', () => {
    const mentioned = npmRunScripts(readme);
    expect(mentioned.length).toBeGreaterThan(5);
    expect(mentioned.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  test('its code blocks call only scripts that exist', () => {
    const inBlocks = codeBlocks(readme).flatMap(npmRunScripts);
    expect(inBlocks).toEqual(expect.arrayContaining(['synth']));
    expect(inBlocks.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  test('the quickstart has the install-and-synth command and the test command, and CI runs exactly that test command', () => {
    const quickstart = codeBlocks(readme)[0];
    expect(quickstart).toMatch(/^npm ci && npm run synth\b/m);
    expect(quickstart).toMatch(/^npm test\b/m);
    const ci = readFileSync(path.join(REPO_ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});
