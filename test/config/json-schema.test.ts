import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderJsonSchemas, SCHEMA_FILES } from '../../config/json-schema';
import { REPO_ROOT } from '../support/config-fixtures';

describe('committed JSON Schemas', () => {
  const rendered = renderJsonSchemas();

  test.each(Object.entries(SCHEMA_FILES))('%s schema matches config/schema.ts (run npm run schema if this fails)', (key, file) => {
    const committed = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    expect(committed).toBe(rendered[key as keyof typeof SCHEMA_FILES]);
  });

  test('the tenant schema rejects unknown keys, so editors flag typos', () => {
    const schema = JSON.parse(rendered.tenant);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'owner', 'costCenter', 'account', 'quota', 'budget']));
  });

  test('every sample tenant file starts with the schema modeline', () => {
    for (const name of ['analytics', 'fraud-detection', 'recsys-inference']) {
      const first = readFileSync(path.join(REPO_ROOT, 'tenants', `${name}.yaml`), 'utf8').split('\n')[0];
      expect(first).toBe('# yaml-language-server: $schema=./tenant.schema.json');
    }
  });
});
