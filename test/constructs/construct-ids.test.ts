/**
 * Resources are keyed by stable names, never by list position: an id built from a loop
 * index readdresses every later resource when one item is removed (Terraform replaces them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/config-fixtures';

/** `new Something(this, \`...${i}...\`` and the like: a construct id made from an index. */
const INDEX_ID = /new \w+\(\s*(?:this|scope|stack)\s*,\s*`[^`]*\$\{\s*(?:i|j|k|n|index|idx|position)\s*\}[^`]*`/g;

function sources(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file));
}

describe('construct ids', () => {
  test('the check finds an id built from an index', () => {
    const planted = 'roles.forEach((arn, i) => { new EksAccessEntry(this, `admin-${i}`, { principalArn: arn }); });';
    expect(planted.match(INDEX_ID)).toHaveLength(1);
    expect('new EksAccessEntry(this, `admin-${key}`, {})'.match(INDEX_ID)).toBeNull();
  });

  test('no construct or stack keys a resource by its position in a list', () => {
    const files = [...sources('constructs'), ...sources('stacks')];
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((file) => [...readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(INDEX_ID)].map((m) => `${file}: ${m[0]}`));
    expect(found).toEqual([]);
  });
});
